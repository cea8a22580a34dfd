public import EventflowDB
import Foundation

/// ``/EventflowDB/LogRepository`` in memory. Archiving keeps the rows readable and records the partition.
extension InMemoryStore: LogRepository {
    public func insertLog(_ entry: Validated<NewLogEntry>) throws {
        try ensureOpen(.logPersist)
        logs.append(
            LogEntry(
                timestamp: clock.now().truncatedToMilliseconds, agent: entry.agent, message: entry.message,
                error: entry.error, position: nextLogPosition))
        nextLogPosition += 1
    }

    public func archiveLogPartition(before cutoff: Cutoff) throws -> Bool {
        try ensureOpen(.logArchive)
        let day = LogArchiveDay.string(for: cutoff.time ?? clock.now())
        if logArchiveDays.contains(day) { return false }
        if let last = logArchiveDays.max(), last > day {
            throw EventflowDBError(
                .logArchive,
                """
                cannot archive the log before \(LogArchiveDay.iso(fromDay: day)): \
                it is already archived up to \(LogArchiveDay.iso(fromDay: last)), \
                and archives only move forward
                """
            )
        }
        logArchiveDays.append(day)
        return true
    }

    public func fetchLogPage(agent: Identifier?, page: LogPage) throws -> [LogEntry] {
        let lines = try lines(agent: agent, from: page.from, to: page.to)
        guard let after = page.after else { return Array(lines.prefix(page.limit)) }
        return Array(
            lines.lazy.filter { ($0.timestamp, $0.position ?? 0) > (after.timestamp, after.position) }
                .prefix(page.limit))
    }

    public func removeLogArchives(before cutoff: Cutoff) throws -> [String] {
        try ensureOpen(.logArchiveDrop)
        let day = LogArchiveDay.string(for: cutoff.time ?? clock.now())
        let dropped = logArchiveDays.filter { $0 <= day }.sorted()
        guard let newest = dropped.last else { return [] }
        // A partition holds the lines before its day: dropping up to `newest` removes them all.
        let bound = LogArchiveDay.date(fromDay: newest)
        logs.removeAll { $0.timestamp < bound }
        logArchiveDays.removeAll { $0 <= day }
        return dropped.map { "p_cold_" + $0 }
    }

    public func readLogArchives() throws -> [String] {
        try ensureOpen(.logRead)
        return logArchiveDays.sorted().map { "p_cold_" + $0 }
    }

    public func fetchLogs(agent: Identifier?, range: TimeRange) throws -> [LogEntry] {
        try lines(agent: agent, from: range.from, to: range.to)
    }

    /// The log lines of `agent` (all when nil) between two times, in log order.
    private func lines(agent: Identifier?, from: Date?, to: Date?) throws -> [LogEntry] {
        let agent = agent?.value
        try ensureOpen(.logRead)
        let from = from?.truncatedToMilliseconds, to = to?.truncatedToMilliseconds
        // `logs` is in insertion order; a stable sort keeps it for equal timestamps.
        return logs.filter { entry in
            (agent == nil || entry.agent == agent) && (from.map { entry.timestamp >= $0 } ?? true)
                && (to.map { entry.timestamp <= $0 } ?? true)
        }.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
    }
}

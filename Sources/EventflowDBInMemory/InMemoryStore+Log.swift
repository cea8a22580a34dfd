import EventflowDB
import Foundation

extension InMemoryStore {
    func persistLog(_ entry: NewLogEntry) throws {
        try ensureOpen(.logPersist)
        logs.append(
            LogEntry(
                timestamp: clock.now().truncatedToMilliseconds, agent: entry.agent, message: entry.message,
                error: entry.error))
    }

    func archiveLog(day: String) throws -> Bool {
        try ensureOpen(.logArchive)
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

    func readLogArchives() throws -> [String] {
        try ensureOpen(.logRead)
        return logArchiveDays.sorted().map { "p_cold_" + $0 }
    }

    func readLogs(agent: String?, from: Date?, to: Date?) throws -> [LogEntry] {
        try ensureOpen(.logRead)
        let from = from?.truncatedToMilliseconds, to = to?.truncatedToMilliseconds
        // `logs` is in insertion order; a stable sort keeps it for equal timestamps.
        return logs.filter { entry in
            (agent == nil || entry.agent == agent) && (from.map { entry.timestamp >= $0 } ?? true)
                && (to.map { entry.timestamp <= $0 } ?? true)
        }.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
    }
}

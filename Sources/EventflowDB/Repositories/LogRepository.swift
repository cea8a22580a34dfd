public import Foundation

/// The agent log.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values and carry names of their own (see ``EventRepository``).
public protocol LogRepository: Sendable {
    /// Writes a checked log line, stamped now, with the next position.
    func insertLog(_ entry: Validated<NewLogEntry>) async throws
    /// Moves the lines older than the cutoff's UTC day into the archive partition
    /// `p_cold_YYYYMMDD`; false when that day is archived. A day before an existing archive is
    /// ``EventflowDBError/Code/logArchive``.
    @discardableResult
    func archiveLogPartition(before cutoff: Cutoff) async throws -> Bool
    /// The names of the archive partitions, oldest first.
    func readLogArchives() async throws -> [String]
    /// The log lines in the range (of one agent when given), oldest first.
    func fetchLogs(agent: Identifier?, range: TimeRange) async throws -> [LogEntry]
    /// A page of log lines (of one agent when given) after the page's cursor, within its time
    /// window, oldest first, at most its limit.
    func fetchLogPage(agent: Identifier?, page: LogPage) async throws -> [LogEntry]
    /// Drops the archive partitions whose day is the cutoff's UTC day or earlier, with their
    /// lines, and returns their names, oldest first; never the live partition.
    func removeLogArchives(before cutoff: Cutoff) async throws -> [String]
}

extension LogRepository {
    /// Writes a log line, stamped now.
    public func persistLog(_ entry: NewLogEntry) async throws {
        try await insertLog(Validated(entry))
    }

    /// Moves the log lines older than the UTC day of `before` into their own archive partition,
    /// `p_cold_YYYYMMDD`. Returns false when that day is already archived (a no-op).
    ///
    /// - Throws: ``EventflowDBError/Code/logArchive`` for a day before an existing archive.
    @discardableResult
    public func archiveLog(before: Date) async throws -> Bool {
        try await archiveLogPartition(before: Cutoff(before, field: "before"))
    }

    /// The log lines ``readLogs(agent:from:to:)`` returns, as an asynchronous
    /// sequence read `pageSize` at a time: a log of any length in bounded memory.
    public func logLines(
        agent: String? = nil, from: Date? = nil, to: Date? = nil, pageSize: Int = 1_000
    )
        -> Pages<LogEntry>
    {
        Pages { last in
            try await fetchLogPage(
                agent: Identifier.optional(agent, field: "agent"),
                page: LogPage(after: last?.cursor, limit: pageSize, from: from, to: to, limitField: "pageSize"))
        }
    }

    /// Retention: drops the archive partitions that hold only lines from before the UTC day of
    /// `before` (`p_cold_YYYYMMDD` with that day or earlier), with their lines. Returns the names
    /// dropped, oldest first. The live partition is never dropped.
    @discardableResult
    public func dropLogArchives(before: Date) async throws -> [String] {
        try await removeLogArchives(before: Cutoff(before, field: "before"))
    }

    /// Log lines, oldest first, optionally of one agent and between two times (inclusive).
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `agent`, `from` or `to`.
    public func readLogs(agent: String?, from: Date?, to: Date?) async throws -> [LogEntry] {
        try await fetchLogs(agent: Identifier.optional(agent, field: "agent"), range: TimeRange(from: from, to: to))
    }
}

public import Foundation

/// The agent log.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values (see ``EventRepository``).
public protocol LogRepository: Sendable {
    /// Implements ``persistLog(_:)-(NewLogEntry)``.
    func persistLog(_ entry: Validated<NewLogEntry>) async throws
    /// Implements ``archiveLog(before:)-(Date)``; the cutoff has a time.
    @discardableResult
    func archiveLog(before cutoff: Cutoff) async throws -> Bool
    /// The names of the archive partitions, oldest first.
    func readLogArchives() async throws -> [String]
    /// Implements ``readLogs(agent:from:to:)``.
    func readLogs(agent: Identifier?, range: TimeRange) async throws -> [LogEntry]
    /// Implements ``logLines(agent:from:to:pageSize:)``: a page of log lines after the page's
    /// cursor, within its time window, oldest first.
    func readLogs(agent: Identifier?, page: LogPage) async throws -> [LogEntry]
    /// Implements ``dropLogArchives(before:)-(Date)``; the cutoff has a time.
    func dropLogArchives(before cutoff: Cutoff) async throws -> [String]
}

extension LogRepository {
    /// Writes a log line, stamped now.
    public func persistLog(_ entry: NewLogEntry) async throws {
        try await persistLog(Validated(entry))
    }

    /// Moves the log lines older than the UTC day of `before` into their own archive partition,
    /// `p_cold_YYYYMMDD`. Returns false when that day is already archived (a no-op).
    ///
    /// - Throws: ``EventflowDBError/Code/logArchive`` for a day before an existing archive.
    @discardableResult
    public func archiveLog(before: Date) async throws -> Bool {
        try await archiveLog(before: Cutoff(before, field: "before"))
    }

    /// The log lines ``readLogs(agent:from:to:)`` returns, as an asynchronous
    /// sequence read `pageSize` at a time: a log of any length in bounded memory.
    public func logLines(
        agent: String? = nil, from: Date? = nil, to: Date? = nil, pageSize: Int = 1_000
    )
        -> Pages<LogEntry>
    {
        Pages { last in
            try await readLogs(
                agent: Identifier.optional(agent, field: "agent"),
                page: LogPage(after: last?.cursor, limit: pageSize, from: from, to: to, limitField: "pageSize"))
        }
    }

    /// Retention: drops the archive partitions that hold only lines from before the UTC day of
    /// `before` (`p_cold_YYYYMMDD` with that day or earlier), with their lines. Returns the names
    /// dropped, oldest first. The live partition is never dropped.
    @discardableResult
    public func dropLogArchives(before: Date) async throws -> [String] {
        try await dropLogArchives(before: Cutoff(before, field: "before"))
    }

    /// Log lines, oldest first, optionally of one agent and between two times (inclusive).
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `agent`, `from` or `to`.
    public func readLogs(agent: String?, from: Date?, to: Date?) async throws -> [LogEntry] {
        try await readLogs(agent: Identifier.optional(agent, field: "agent"), range: TimeRange(from: from, to: to))
    }
}

public import Foundation

/// The agent log.
public protocol LogRepository: Sendable {
    /// Writes a log line, stamped now.
    func persistLog(_ entry: NewLogEntry) async throws

    /// Moves the log lines older than the UTC day of `before` into their own archive partition,
    /// `p_cold_YYYYMMDD`. Returns false when that day is already archived (a no-op).
    ///
    /// - Throws: ``EventflowDBError/Code/logArchive`` for a day before an existing archive.
    @discardableResult
    func archiveLog(before: Date) async throws -> Bool

    /// The names of the archive partitions, oldest first.
    func readLogArchives() async throws -> [String]

    /// Log lines, oldest first, optionally of one agent and between two times (inclusive).
    func readLogs(agent: String?, from: Date?, to: Date?) async throws -> [LogEntry]
}

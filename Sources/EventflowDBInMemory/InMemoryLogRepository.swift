public import EventflowDB
public import Foundation

/// ``LogRepository`` in memory. Archiving keeps the rows readable and records the partition.
extension InMemoryRepository: LogRepository {
    public func persistLog(_ entry: Validated<NewLogEntry>) async throws {
        try await store.persistLog(entry.input)
    }

    @discardableResult
    public func archiveLog(before cutoff: Cutoff) async throws -> Bool {
        try await store.archiveLog(day: LogArchiveDay.string(for: cutoff.time ?? store.clock.now()))
    }

    public func readLogArchives() async throws -> [String] {
        try await store.readLogArchives()
    }

    public func readLogs(agent: Identifier?, from: Date?, to: Date?) async throws -> [LogEntry] {
        try await store.readLogs(agent: agent?.value, from: from, to: to)
    }
}

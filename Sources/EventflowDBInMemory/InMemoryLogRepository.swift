public import EventflowDB
public import Foundation

/// ``LogRepository`` in memory. Archiving keeps the rows readable and records the partition.
public struct InMemoryLogRepository: LogRepository {
    public let store: InMemoryStore

    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    public func persistLog(_ entry: NewLogEntry) async throws {
        try Validator.validate(entry)
        try await store.persistLog(entry)
    }

    @discardableResult
    public func archiveLog(before: Date) async throws -> Bool {
        try Validator.date(before, field: "before")
        return try await store.archiveLog(day: LogArchiveDay.string(for: before))
    }

    public func readLogArchives() async throws -> [String] {
        try await store.readLogArchives()
    }

    public func readLogs(agent: String?, from: Date?, to: Date?) async throws -> [LogEntry] {
        try Validator.optionalIdentifier(agent, field: "agent")
        return try await store.readLogs(agent: agent, from: from, to: to)
    }
}

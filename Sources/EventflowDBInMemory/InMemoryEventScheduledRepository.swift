public import EventflowDB
public import Foundation

/// ``EventScheduledRepository`` in memory. The executed claim is atomic on the store actor.
public struct InMemoryEventScheduledRepository: EventScheduledRepository {
    public let store: InMemoryStore

    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    @discardableResult
    public func persistEventScheduled(_ scheduled: NewEventScheduled) async throws -> Bool {
        try Validator.validate(scheduled)
        return try await store.persistEventScheduled(scheduled)
    }

    public func readEventsScheduled(dueBy: Date?) async throws -> [ScheduledEvent] {
        if let dueBy { try Validator.date(dueBy, field: "dueBy") }
        return try await store.readEventsScheduled(dueBy: dueBy)
    }

    public func readEventsScheduled(dueBy: Date?, limit: Int) async throws -> [ScheduledEvent] {
        if let dueBy { try Validator.date(dueBy, field: "dueBy") }
        try Validator.limit(limit)
        return Array(try await store.readEventsScheduled(dueBy: dueBy).prefix(limit))
    }

    public func readNextScheduledTime() async throws -> Date? {
        try await store.readNextScheduledTime()
    }

    public func updateEventScheduledExecuted(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.stampScheduled(eventID: eventID, \.executed, code: .scheduledEventUpdateExecuted)
    }

    @discardableResult
    public func updateEventScheduledSuccess(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.stampScheduled(eventID: eventID, \.success, code: .scheduledEventUpdateSuccess)
    }

    @discardableResult
    public func updateEventScheduledFailed(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.stampScheduled(eventID: eventID, \.failed, code: .scheduledEventUpdateFailed)
    }

    public func readEventsScheduledUnfinished(executedBefore: Date, limit: Int) async throws -> [ScheduledEvent] {
        try Validator.date(executedBefore, field: "executedBefore")
        try Validator.limit(limit)
        return try await store.readEventsScheduledUnfinished(
            executedBefore: executedBefore.truncatedToMilliseconds, limit: limit)
    }
}

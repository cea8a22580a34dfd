public import EventflowDB
public import Foundation

/// ``EventScheduledRepository`` in memory. The executed claim is atomic on the store actor.
extension InMemoryRepository: EventScheduledRepository {
    @discardableResult
    public func persistEventScheduled(_ scheduled: Validated<NewEventScheduled>) async throws -> Bool {
        try await store.persistEventScheduled(scheduled.input)
    }

    public func readEventsScheduled(_ cutoff: Cutoff) async throws -> [ScheduledEvent] {
        let due = try await store.readEventsScheduled(dueBy: cutoff.time)
        return cutoff.limit.map { Array(due.prefix($0)) } ?? due
    }

    public func readNextScheduledTime() async throws -> Date? {
        try await store.readNextScheduledTime()
    }

    public func updateEventScheduledExecuted(eventID: Identifier) async throws -> Bool {
        try await store.stampScheduled(eventID: eventID.value, \.executed, code: .scheduledEventUpdateExecuted)
    }

    @discardableResult
    public func updateEventScheduledSuccess(eventID: Identifier) async throws -> Bool {
        try await store.stampScheduled(eventID: eventID.value, \.success, code: .scheduledEventUpdateSuccess)
    }

    @discardableResult
    public func updateEventScheduledFailed(eventID: Identifier) async throws -> Bool {
        try await store.stampScheduled(eventID: eventID.value, \.failed, code: .scheduledEventUpdateFailed)
    }

    public func readEventsScheduledUnfinished(_ cutoff: Cutoff) async throws -> [ScheduledEvent] {
        try await store.readEventsScheduledUnfinished(
            executedBefore: (cutoff.time ?? store.clock.now()).truncatedToMilliseconds, limit: cutoff.limit ?? .max)
    }
}

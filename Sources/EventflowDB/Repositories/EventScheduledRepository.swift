public import Foundation

/// Scheduled events.
///
/// ``updateEventScheduledExecuted(eventID:)`` is a claim: exactly one of any number of concurrent
/// callers gets `true`, so two hubs never run the same scheduled event.
public protocol EventScheduledRepository: Sendable {
    /// Schedules an event. Returns false when it was already scheduled.
    ///
    /// - Throws: ``EventflowDBError/Code/scheduledEventPersist`` for an unknown event.
    @discardableResult
    func persistEventScheduled(_ scheduled: NewEventScheduled) async throws -> Bool

    /// The scheduled events not yet executed and due by `dueBy` (now when nil), earliest first,
    /// each with its event's id, domain, pid and name.
    func readEventsScheduled(dueBy: Date?) async throws -> [ScheduledEvent]

    /// Claims a scheduled event for execution.
    func updateEventScheduledExecuted(eventID: String) async throws -> Bool

    /// Stamps success, once.
    @discardableResult
    func updateEventScheduledSuccess(eventID: String) async throws -> Bool

    /// Stamps failed, once.
    @discardableResult
    func updateEventScheduledFailed(eventID: String) async throws -> Bool

    /// Scheduled events claimed (executed) at or before `executedBefore` but marked neither
    /// success nor failed, earliest claim first, at most `limit`: runs that died part way.
    func readEventsScheduledUnfinished(executedBefore: Date, limit: Int) async throws -> [ScheduledEvent]
}

extension EventScheduledRepository {
    /// The scheduled events due now, earliest first.
    public func readEventsScheduled() async throws -> [ScheduledEvent] {
        try await readEventsScheduled(dueBy: nil)
    }
}

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

    /// The first `limit` scheduled events not yet executed and due by `dueBy` (now when nil),
    /// earliest first.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` for a limit outside 1-10,000.
    func readEventsScheduled(dueBy: Date?, limit: Int) async throws -> [ScheduledEvent]

    /// When the earliest scheduled event not yet executed is (or was) due; nil when there is
    /// none. A scheduler sleeps until then instead of polling blindly.
    func readNextScheduledTime() async throws -> Date?
}

extension EventScheduledRepository {
    /// The scheduled events due now, earliest first.
    public func readEventsScheduled() async throws -> [ScheduledEvent] {
        try await readEventsScheduled(dueBy: nil)
    }

    /// For implementations that predate it: all due events, cut to `limit`.
    public func readEventsScheduled(dueBy: Date?, limit: Int) async throws -> [ScheduledEvent] {
        try Validator.limit(limit)
        return Array(try await readEventsScheduled(dueBy: dueBy).prefix(limit))
    }

    /// For implementations that predate it: the earliest of everything not yet executed.
    public func readNextScheduledTime() async throws -> Date? {
        try await readEventsScheduled(dueBy: Validator.latestDate).first?.scheduled
    }
}

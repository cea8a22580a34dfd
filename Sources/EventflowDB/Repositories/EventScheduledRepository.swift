public import Foundation

/// Scheduled events.
///
/// ``updateEventScheduledExecuted(eventID:)-(String)`` is a claim: exactly one of any number of
/// concurrent callers gets `true`, so two hubs never run the same scheduled event.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values (see ``EventRepository``).
public protocol EventScheduledRepository: Sendable {
    /// Implements ``persistEventScheduled(_:)-(NewEventScheduled)``.
    @discardableResult
    func persistEventScheduled(_ scheduled: Validated<NewEventScheduled>) async throws -> Bool
    /// Implements ``readEventsScheduled(dueBy:)`` and ``readEventsScheduled(dueBy:limit:)``: the
    /// cutoff's time is the due time (now when nil), its limit nil for all of them.
    func readEventsScheduled(_ cutoff: Cutoff) async throws -> [ScheduledEvent]
    /// Implements ``updateEventScheduledExecuted(eventID:)-(String)``.
    func updateEventScheduledExecuted(eventID: Identifier) async throws -> Bool
    /// Implements ``updateEventScheduled(eventID:to:)-(String,_)`` and the two stamps.
    @discardableResult
    func updateEventScheduled(eventID: Identifier, to outcome: ScheduledOutcome) async throws -> Bool
    /// Implements ``readEventsScheduledUnfinished(executedBefore:limit:)``; the cutoff has a time
    /// and a limit.
    func readEventsScheduledUnfinished(_ cutoff: Cutoff) async throws -> [ScheduledEvent]
    /// When the earliest scheduled event not yet executed is (or was) due; nil when there is
    /// none. A scheduler sleeps until then instead of polling blindly.
    func readNextScheduledTime() async throws -> Date?
    /// Implements ``deleteEventsScheduledFinished(before:limit:)``; the cutoff has a time and a
    /// limit.
    func deleteEventsScheduledFinished(_ cutoff: Cutoff) async throws -> Int
}

extension EventScheduledRepository {
    /// Schedules an event. Returns false when it was already scheduled.
    ///
    /// - Throws: ``EventflowDBError/Code/scheduledEventPersist`` for an unknown event.
    @discardableResult
    public func persistEventScheduled(_ scheduled: NewEventScheduled) async throws -> Bool {
        try await persistEventScheduled(Validated(scheduled))
    }

    /// The scheduled events due now, earliest first.
    public func readEventsScheduled() async throws -> [ScheduledEvent] {
        try await readEventsScheduled(Cutoff(nil, field: "dueBy"))
    }

    /// The scheduled events not yet executed and due by `dueBy` (now when nil), earliest first,
    /// each with its event's id, domain, pid and name.
    public func readEventsScheduled(dueBy: Date?) async throws -> [ScheduledEvent] {
        try await readEventsScheduled(Cutoff(dueBy, field: "dueBy"))
    }

    /// The first `limit` scheduled events not yet executed and due by `dueBy` (now when nil),
    /// earliest first.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` for a limit outside 1-10,000.
    public func readEventsScheduled(dueBy: Date?, limit: Int) async throws -> [ScheduledEvent] {
        try await readEventsScheduled(Cutoff(dueBy, field: "dueBy", limit: limit))
    }

    /// Claims a scheduled event for execution.
    public func updateEventScheduledExecuted(eventID: String) async throws -> Bool {
        try await updateEventScheduledExecuted(eventID: Identifier(eventID, field: "eventID"))
    }

    /// Stamps how the run ended, once. False when that stamp is set or the event is not scheduled.
    @discardableResult
    public func updateEventScheduled(eventID: String, to outcome: ScheduledOutcome) async throws -> Bool {
        try await updateEventScheduled(eventID: Identifier(eventID, field: "eventID"), to: outcome)
    }

    /// Stamps success, once.
    @discardableResult
    public func updateEventScheduledSuccess(eventID: String) async throws -> Bool {
        try await updateEventScheduled(eventID: eventID, to: .success)
    }

    /// Stamps failed, once.
    @discardableResult
    public func updateEventScheduledFailed(eventID: String) async throws -> Bool {
        try await updateEventScheduled(eventID: eventID, to: .failed)
    }

    /// Scheduled events claimed (executed) at or before `executedBefore` but marked neither
    /// success nor failed, earliest claim first, at most `limit`: runs that died part way.
    public func readEventsScheduledUnfinished(executedBefore: Date, limit: Int) async throws -> [ScheduledEvent] {
        try await readEventsScheduledUnfinished(Cutoff(executedBefore, field: "executedBefore", limit: limit))
    }

    /// Retention: deletes at most `limit` (1–10,000) schedule rows whose run finished (stamped
    /// success or failed) at or before `before`. Returns how many; the events stay.
    public func deleteEventsScheduledFinished(before: Date, limit: Int) async throws -> Int {
        try await deleteEventsScheduledFinished(Cutoff(before, field: "before", limit: limit))
    }
}

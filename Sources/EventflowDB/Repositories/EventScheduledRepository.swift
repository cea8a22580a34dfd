public import Foundation

/// Scheduled events and the life of their runs.
///
/// A run is pending until its time, then due; a hub's claim (``claimScheduledRun(eventID:policy:)``)
/// wins it for exactly one caller, counts an attempt and holds it under a lease; the hub then
/// succeeds or fails it (``succeedScheduledRun(eventID:attempt:)``,
/// ``failScheduledRun(eventID:attempt:policy:)``). A failure below the maximum of attempts makes
/// the run pending again after a back-off; at the maximum it is a dead letter, which an operator
/// requeues (``requeueScheduledDeadLetter(_:)``, only as seen) or discards
/// (``discardScheduledDeadLetter(eventID:)``). A lease that expires (the hub died) makes the run
/// due again, or a dead letter when it was the last attempt. ``ScheduledRunState`` draws it.
///
/// An event published with a schedule (``Publication/scheduled``) is delivered by its scheduled
/// run: the run's claim takes the published delivery's hub claim in the same atomic step, so a
/// hub's published claim after it is refused; a published claim won first (by a hub that
/// claimed it by id, or a hub of the original library) refuses the run's claims instead, and the
/// run is no longer due. Either way it runs once. The run's success stamps the delivery's
/// success, its discard the delivery's orphan.
///
/// The original library's calls keep their meaning: ``updateEventScheduledExecuted(eventID:)``
/// is a claim without lease or maximum (held until a stamp), ``updateEventScheduledSuccess(eventID:)``
/// and ``updateEventScheduledFailed(eventID:)`` set their stamps once; a `failed` stamp is a dead
/// letter.
///
/// Callers use the extension's methods, which check their input; a backend implements the
/// requirements, which take checked values.
public protocol EventScheduledRepository: Sendable {
    /// Must store the schedule of an existing event with the time now (second precision), and
    /// return false without a change when the event has a schedule already; an unknown event
    /// fails as a foreign key does, with ``EventflowDBError/Code/scheduledEventPersist``.
    @discardableResult
    func insertScheduledEvent(_ scheduled: Validated<NewEventScheduled>) async throws -> Bool
    /// Must return the runs `query` selects, each with its event's domain, pid and name, in the
    /// order and up to the limit the query names; ties in insertion order of the events. A due
    /// run whose event's published delivery was claimed by a published claim is not due.
    func fetchScheduledEvents(_ query: ScheduledQuery) async throws -> [ScheduledEvent]
    /// Must return the earliest time at which a run that is neither claimed nor finished falls
    /// due (its scheduled time, or its retry time when later), or a claimed run's lease expires
    /// below its maximum; nil when there is none.
    func fetchNextScheduledTime() async throws -> Date?
    /// Must make `change` in one atomic step, only in the state the change names (see
    /// ``ScheduledRunChange``), and return the run as it is after the change; nil when the
    /// change was refused (or the event has no schedule). A claim also takes the published
    /// delivery of its event (see the protocol's description).
    @discardableResult
    func changeScheduledRun(_ change: ScheduledRunChange) async throws -> ScheduledEvent?
    /// Must delete at most the cutoff's limit of runs finished (succeeded or discarded) at or
    /// before its time, smallest event id first, and return how many; never a dead letter.
    func removeScheduledEventsFinished(_ cutoff: Cutoff) async throws -> Int
    /// As ``FollowRepository/fetchWriteCount()``: how many writes of events this backend saw
    /// commit (any increasing count; 0 when it cannot tell). A backend that follows implements
    /// it once for both; the default is 0.
    func fetchWriteCount() async -> UInt64
    /// As ``FollowRepository/awaitWrite(after:timeout:)``: returns once the write count is above
    /// `count`, after `timeout`, or when the task is cancelled. ``dueEvents(clock:longestSleep:limit:)``
    /// waits with it, so an event scheduled by another writer is read at once; the default
    /// waits out `timeout`.
    func awaitWrite(after count: UInt64, timeout: Duration) async
}

extension EventScheduledRepository {
    public func fetchWriteCount() async -> UInt64 { 0 }

    public func awaitWrite(after count: UInt64, timeout: Duration) async {
        try? await Task.sleep(for: timeout)
    }

    /// Schedules an event. Returns false when it was already scheduled.
    ///
    /// - Throws: ``EventflowDBError/Code/scheduledEventPersist`` for an unknown event.
    @discardableResult
    public func persistEventScheduled(_ scheduled: NewEventScheduled) async throws -> Bool {
        try await insertScheduledEvent(Validated(scheduled))
    }

    /// The scheduled runs due now, earliest first.
    public func readEventsScheduled() async throws -> [ScheduledEvent] {
        try await fetchScheduledEvents(.due(Cutoff(nil, field: "dueBy")))
    }

    /// The scheduled runs due by `dueBy` (now when nil), earliest first, each with its event's
    /// id, domain, pid and name: runs not executed whose time (and retry time) has come, and runs
    /// whose claim's lease expired below their maximum of attempts.
    public func readEventsScheduled(dueBy: Date?) async throws -> [ScheduledEvent] {
        try await fetchScheduledEvents(.due(Cutoff(dueBy, field: "dueBy")))
    }

    /// The first `limit` scheduled runs due by `dueBy` (now when nil), earliest first.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` for a limit outside 1-10,000.
    public func readEventsScheduled(dueBy: Date?, limit: Int) async throws -> [ScheduledEvent] {
        try await fetchScheduledEvents(.due(Cutoff(dueBy, field: "dueBy", limit: limit)))
    }

    /// The run of one scheduled event; nil when it has no schedule.
    public func readScheduledRun(eventID: String) async throws -> ScheduledEvent? {
        try await fetchScheduledEvents(.run(Identifier(eventID, field: "eventID"))).first
    }

    /// The original's claim of a scheduled event: true for exactly one caller while it is not
    /// executed. It counts an attempt, but has no lease and no maximum: the run is held until
    /// it is stamped. New hubs use ``claimScheduledRun(eventID:policy:)``.
    public func updateEventScheduledExecuted(eventID: String) async throws -> Bool {
        try await changeScheduledRun(.claimWithoutLease(Identifier(eventID, field: "eventID"))) != nil
    }

    /// Claims a due run for this caller: exactly one of any number of concurrent callers wins.
    /// The claim counts an attempt and holds the run for `policy.lease`; the winner runs it, then
    /// calls ``succeedScheduledRun(eventID:attempt:)`` or ``failScheduledRun(eventID:attempt:policy:)``
    /// with the returned ``ScheduledEvent/attempts`` (renewing the lease meanwhile if it needs
    /// longer). Nil when the run is not due, is claimed, is finished or a dead letter, when its
    /// attempts reached `policy.maxAttempts`, or when its event's published delivery was claimed.
    ///
    /// A run whose lease expired (its hub died) is due again, and claimed as a new attempt.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming the field for a bad id or policy;
    ///   ``EventflowDBError/Code/scheduledEventUpdateExecuted`` when the claim fails.
    public func claimScheduledRun(
        eventID: String, policy: ScheduledRunPolicy = ScheduledRunPolicy()
    )
        async throws -> ScheduledEvent?
    {
        try await changeScheduledRun(.claim(Identifier(eventID, field: "eventID"), Validated(policy)))
    }

    /// Extends the lease of the claim numbered `attempt` to `lease` from now. False when a later
    /// claim was won (this caller's lease expired and another hub took the run) or the run is
    /// finished: the caller stops working on it.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `lease` (1 ms to a year) or `attempt`.
    @discardableResult
    public func renewScheduledRun(eventID: String, attempt: Int, lease: Duration) async throws -> Bool {
        try Validator.timeout(lease, field: "lease")
        guard lease >= .milliseconds(1) else { throw EventflowDBError.invalid("lease", "must be at least 1 ms") }
        return try await changeScheduledRun(
            .renew(Identifier(eventID, field: "eventID"), attempt: Self.checked(attempt), lease: lease)) != nil
    }

    /// Stamps success on the claim numbered `attempt`: the run is finished. False when a later
    /// claim was won, or the run is already finished, failed or a dead letter.
    @discardableResult
    public func succeedScheduledRun(eventID: String, attempt: Int) async throws -> Bool {
        try await changeScheduledRun(.succeed(Identifier(eventID, field: "eventID"), attempt: Self.checked(attempt)))
            != nil
    }

    /// Records that the claim numbered `attempt` failed. Below the maximum of attempts the run
    /// is pending again and falls due after `policy`'s back-off (``ScheduledEvent/retryAt``); at
    /// the maximum it is a dead letter (``ScheduledEvent/failed`` is set). Returns the run after
    /// the change; nil when a later claim was won or the run is not claimed.
    @discardableResult
    public func failScheduledRun(
        eventID: String, attempt: Int, policy: ScheduledRunPolicy = ScheduledRunPolicy()
    ) async throws -> ScheduledEvent? {
        try policy.validate()
        return try await changeScheduledRun(
            .fail(
                Identifier(eventID, field: "eventID"), attempt: Self.checked(attempt),
                backoff: policy.backoff(after: attempt)))
    }

    /// Dead letters: runs that failed at their maximum of attempts (or whose last lease expired)
    /// and were neither requeued nor discarded, earliest schedule first, at most `limit`
    /// (1–10,000). A run stamped failed by the original library is one.
    public func readScheduledDeadLetters(limit: Int) async throws -> [ScheduledEvent] {
        try await fetchScheduledEvents(.deadLetters(Cutoff(nil, field: "now", limit: limit)))
    }

    /// Gives a dead letter another round: pending again with no attempts, due at once. Only when
    /// it is still the dead letter `seen` (as read by ``readScheduledDeadLetters(limit:)``):
    /// false when it changed since (requeued, discarded, or claimed and failed again by others)
    /// or is not a dead letter. A lost reply is not repeated (it fails with
    /// ``EventflowDBError/isOutcomeUnknown``); read the run to learn the outcome.
    @discardableResult
    public func requeueScheduledDeadLetter(_ seen: ScheduledEvent) async throws -> Bool {
        try await changeScheduledRun(.requeue(Identifier(seen.eventID, field: "seen.eventID"), seen: seen)) != nil
    }

    /// Sets a dead letter aside for good (``ScheduledEvent/discarded``): the run is finished and
    /// retention may remove it. False when the run is not a dead letter.
    @discardableResult
    public func discardScheduledDeadLetter(eventID: String) async throws -> Bool {
        try await changeScheduledRun(.discard(Identifier(eventID, field: "eventID"))) != nil
    }

    /// Stamps how the run ended, once, whatever its state (the original's stamps). False when
    /// that stamp is set or the event is not scheduled.
    @discardableResult
    public func updateEventScheduled(eventID: String, to outcome: ScheduledOutcome) async throws -> Bool {
        try await changeScheduledRun(.stamp(Identifier(eventID, field: "eventID"), outcome)) != nil
    }

    /// Stamps success, once.
    @discardableResult
    public func updateEventScheduledSuccess(eventID: String) async throws -> Bool {
        try await updateEventScheduled(eventID: eventID, to: .success)
    }

    /// Stamps failed, once: the run is a dead letter.
    @discardableResult
    public func updateEventScheduledFailed(eventID: String) async throws -> Bool {
        try await updateEventScheduled(eventID: eventID, to: .failed)
    }

    /// Scheduled runs claimed (executed) at or before `executedBefore` but neither stamped nor
    /// discarded, earliest claim first, at most `limit`: runs in progress, or that died part way
    /// (those with an expired lease are due again).
    public func readEventsScheduledUnfinished(executedBefore: Date, limit: Int) async throws -> [ScheduledEvent] {
        try await fetchScheduledEvents(
            .unfinished(Cutoff(executedBefore, field: "executedBefore", limit: limit)))
    }

    /// When the earliest run not claimed and not finished is (or was) due, or a claimed run's
    /// lease expires; nil when there is none. A scheduler sleeps until then instead of polling
    /// blindly.
    public func readNextScheduledTime() async throws -> Date? {
        try await fetchNextScheduledTime()
    }

    /// Retention: deletes at most `limit` (1–10,000) schedule rows whose run finished (succeeded,
    /// or discarded as a dead letter) at or before `before`. Returns how many; the events stay.
    /// Dead letters are kept until an operator deals with them.
    public func deleteEventsScheduledFinished(before: Date, limit: Int) async throws -> Int {
        try await removeScheduledEventsFinished(Cutoff(before, field: "before", limit: limit))
    }

    /// An attempt number as the claims hand them out: 1 or more.
    private static func checked(_ attempt: Int) throws -> Int {
        guard (1...Int(UInt32.max)).contains(attempt) else {
            throw EventflowDBError.invalid("attempt", "must be from 1 to 4294967295")
        }
        return attempt
    }
}

public import Foundation

/// The delivery state of published events: the original library's claims and stamps, and the
/// delivery lifecycle built on them (claims under a lease, attempts, retries, dead letters).
///
/// The two "consumed" updates are claims: of any number of concurrent callers, exactly one gets
/// `true`. The terminal stamps (success, failed, orphan) are set once. The lifecycle's
/// transitions (``claimDelivery(eventID:hubID:lease:maxAttempts:)`` and the ones after it) are
/// each one conditional change, so concurrent hubs and operators cannot both move a delivery
/// out of the same state; <doc:DeliveryLifecycle> describes them.
///
/// Callers use the extension's methods, which check their input once. A backend implements the
/// requirements: storage verbs that take checked values (see ``EventRepository``).
public protocol EventPublishedRepository: Sendable {
    /// Inserts the delivery row of a published event, published now (second precision), unless
    /// there is one. Returns whether it inserted. An unknown event or hub throws
    /// ``EventflowDBError/Code/eventPublishedPersist`` with a foreign-key cause, writing nothing.
    @discardableResult
    func insertPublished(_ published: Validated<NewEventPublished>) async throws -> Bool
    /// Fetches the whole delivery row of `eventID`, or throws
    /// ``EventflowDBError/Code/eventPublishedNotFound``.
    func fetchPublished(eventID: Identifier) async throws -> EventPublished
    /// Fetches the delivery rows `query` describes, in its order, at most its limit.
    func fetchDeliveries(_ query: DeliveryQuery) async throws -> [EventPublished]
    /// Fetches what ``DeliveryQuery/pending(_:)`` reads, each row with its event, after `after`
    /// (from the start when nil).
    func fetchPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) async throws -> [PendingDelivery]
    /// The original library's claims: sets the consumer's claim time (second precision) and its
    /// id column while the claim time is NULL, with no lease and no attempt counted. Exactly one of
    /// any number of concurrent callers gets `true`, also when a reply is lost; `false` for an
    /// unpublished event. A hub claim for an unknown hub throws
    /// ``EventflowDBError/Code/eventPublishedCreate`` with a foreign-key cause.
    func changeConsumed(eventID: Identifier, by consumer: Consumer) async throws -> Bool
    /// Sets the `outcome` stamp to now (second precision) while it is NULL, whatever else the row
    /// holds: the original library's stamps. True for the caller that set it.
    @discardableResult
    func changeStamp(eventID: Identifier, to outcome: PublishedOutcome) async throws -> Bool
    /// Carries out one transition of the delivery lifecycle as one conditional change: true for
    /// the caller whose change took effect, false when the row was not in the transition's starting
    /// state (or not there). Of concurrent callers of transitions out of one state, at most one
    /// gets `true`; a retry after a lost reply answers as the lost attempt did. Times are now
    /// (lease and back-off ends with millisecond precision, stamps with second precision).
    @discardableResult
    func changeDelivery(_ change: DeliveryChange) async throws -> Bool
    /// Claims for `hub` the first delivery (by published time, then event id) that
    /// ``DeliveryQuery/pending(_:)`` reads now with attempts below `maxAttempts`, as
    /// ``DeliveryChange/claim(eventID:hub:lease:maxAttempts:)`` does, skipping those another
    /// caller is claiming at the same moment; returns it with its event, as the claim left it
    /// (its attempt counted). Nil when none is pending. Of concurrent callers, each delivery is
    /// won by one; a retry after a lost reply answers with the claim the lost attempt made.
    func claimNextDelivery(hub: Identifier, lease: Timeout, maxAttempts: Int) async throws -> PendingDelivery?
    /// Removes at most the cutoff's limit of finished delivery rows (stamped success or orphan at
    /// or before its time, now when nil), never a dead letter nor anything unfinished. Returns how
    /// many it removed.
    func removeFinished(_ cutoff: Cutoff) async throws -> Int
}

extension EventPublishedRepository {
    /// Records that an event was published, now. Returns false when it was already recorded.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedPersist`` for an unknown event or hub.
    @discardableResult
    public func persistEventPublished(_ published: NewEventPublished) async throws -> Bool {
        try await insertPublished(Validated(published))
    }

    /// The whole delivery state of an event.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedNotFound`` when it was never published.
    public func readEventPublished(eventID: String) async throws -> EventPublished {
        try await fetchPublished(eventID: Identifier(eventID, field: "eventID"))
    }

    /// Claims the event for a hub the way the original library does: true for exactly one caller
    /// while no hub has consumed it. Such a claim has no lease and counts no attempt; the
    /// lifecycle's claim is ``claimDelivery(eventID:hubID:lease:maxAttempts:)``.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedCreate`` for an unknown hub.
    public func updateEventPublishedToConsumedByHub(eventID: String, hubID: String) async throws -> Bool {
        try await changeConsumed(
            eventID: Identifier(eventID, field: "eventID"), by: .hub(Identifier(hubID, field: "hubID")))
    }

    /// Claims the event for a spoke (sets the consumer). True for exactly one caller.
    public func updateEventPublishedToConsumedBySpoke(eventID: String, spokeID: String) async throws -> Bool {
        try await changeConsumed(
            eventID: Identifier(eventID, field: "eventID"), by: .spoke(Identifier(spokeID, field: "spokeID")))
    }

    /// Stamps how the delivery ended, once. False when that stamp is set or the event was never
    /// published.
    @discardableResult
    public func updateEventPublished(eventID: String, to outcome: PublishedOutcome) async throws -> Bool {
        try await changeStamp(eventID: Identifier(eventID, field: "eventID"), to: outcome)
    }

    /// Stamps success, once. False when already stamped or never published.
    @discardableResult
    public func updateEventPublishedToSuccess(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .success)
    }

    /// Stamps failed, once. In the lifecycle a failed stamp makes the delivery a dead letter.
    @discardableResult
    public func updateEventPublishedToFailed(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .failed)
    }

    /// Stamps orphan, once.
    @discardableResult
    public func updateEventPublishedToOrphan(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .orphan)
    }

    /// Pending deliveries published at or before `publishedBefore`, oldest first, at most
    /// `limit` (1–10,000): never claimed, or their lease ended (the hub died), or their back-off
    /// after a failure passed; not stamped success, failed or orphan. Events scheduled for later
    /// (published up front, not yet due and not executed) are left out until they are due.
    public func readEventsPublishedNotConsumed(publishedBefore: Date, limit: Int) async throws -> [EventPublished] {
        try await fetchDeliveries(.pending(Cutoff(publishedBefore, field: "publishedBefore", limit: limit)))
    }

    /// The published events ``readEventsPublishedNotConsumed(publishedBefore:limit:)`` returns,
    /// each with its event, in the same order; a page after `cursor` (from the start when nil),
    /// at most `limit` (1–10,000). ``pendingDeliveries(publishedBefore:pageSize:)`` iterates them.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `publishedBefore`, `limit`,
    ///   `after.published` or `after.eventID`.
    public func readPendingDeliveries(
        publishedBefore: Date, after cursor: DeliveryCursor? = nil, limit: Int
    ) async throws -> [PendingDelivery] {
        let cutoff = try Cutoff(publishedBefore, field: "publishedBefore", limit: limit)
        if let cursor { try Validator.cursor(cursor, field: "after") }
        return try await fetchPendingDeliveries(cutoff, after: cursor)
    }

    /// Every pending delivery published at or before `publishedBefore`, with its event, as an
    /// asynchronous sequence read `pageSize` at a time, in bounded memory however long the
    /// backlog. To deliver them, claim each first (``EventflowDB/deliveries(hubID:policy:)`` does).
    public func pendingDeliveries(publishedBefore: Date, pageSize: Int = 1_000) -> Pages<PendingDelivery> {
        Pages { last in
            try Validator.limit(pageSize, field: "pageSize")
            return try await readPendingDeliveries(
                publishedBefore: publishedBefore, after: last?.cursor, limit: pageSize)
        }
    }

    /// Dead letters: deliveries stamped failed (at their maximum attempts, or by a hub of the
    /// original library) that were neither requeued nor discarded, oldest first, at most `limit`
    /// (1–10,000). Each waits for ``requeueDeadLetter(_:)`` or ``discardDeadLetter(_:)``.
    public func readDeadLetters(limit: Int) async throws -> [EventPublished] {
        try await fetchDeliveries(.deadLetters(Page(after: 0, limit: limit)))
    }

    /// The unfinished claims `hubID` holds, with a lease or without, expired leases included,
    /// oldest first, at most `limit` (1–10,000): what a restarted hub finishes
    /// (``succeedDelivery(eventID:hubID:)``, ``failDelivery(eventID:hubID:maxAttempts:retryAfter:)``)
    /// or gives back (``releaseDelivery(eventID:hubID:)``).
    public func readClaims(hubID: String, limit: Int) async throws -> [EventPublished] {
        try await fetchDeliveries(.claims(hub: Identifier(hubID, field: "hubID"), Page(after: 0, limit: limit)))
    }

    /// Claims a pending delivery for `hubID` until now + `lease`, counting one attempt. True for
    /// exactly one of any number of concurrent callers (also when a reply is lost); false when it
    /// is not pending (held under a live lease or by a hub of the original library, waiting for its
    /// back-off, finished, a dead letter) or its attempts reached `maxAttempts` (1–10,000).
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedCreate`` for an unknown hub;
    ///   ``EventflowDBError/Code/invalidInput`` for a negative or over-long `lease`.
    public func claimDelivery(eventID: String, hubID: String, lease: Duration, maxAttempts: Int) async throws -> Bool {
        try await changeDelivery(
            .claim(
                eventID: Identifier(eventID, field: "eventID"), hub: Identifier(hubID, field: "hubID"),
                lease: Timeout(lease, field: "lease"), maxAttempts: Self.checkedMaxAttempts(maxAttempts)))
    }

    /// Claims for `hubID` the oldest pending delivery no other caller is claiming at the same
    /// moment, until now + `lease`, counting one attempt, and returns it with its event as the
    /// claim left it. Nil when nothing is pending. Concurrent hubs each win different
    /// deliveries without trying the same ones (on MariaDB, `FOR UPDATE SKIP LOCKED`), so a
    /// delivery costs one round trip of claims, not one per hub that tried it.
    /// ``EventflowDB/deliveries(hubID:policy:)`` claims with it.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedCreate`` for an unknown hub;
    ///   ``EventflowDBError/Code/invalidInput`` for a bad hub id, `lease` or `maxAttempts`.
    public func claimNextDelivery(hubID: String, lease: Duration, maxAttempts: Int) async throws -> PendingDelivery? {
        try await claimNextDelivery(
            hub: Identifier(hubID, field: "hubID"), lease: Timeout(lease, field: "lease"),
            maxAttempts: Self.checkedMaxAttempts(maxAttempts))
    }

    /// Extends the lease of a claim `hubID` holds to now + `lease`. False when it holds none
    /// (another hub claimed it after the lease ended, or it finished): the caller has lost it.
    @discardableResult
    public func renewLease(eventID: String, hubID: String, lease: Duration) async throws -> Bool {
        try await changeDelivery(
            .renew(
                eventID: Identifier(eventID, field: "eventID"), hub: Identifier(hubID, field: "hubID"),
                lease: Timeout(lease, field: "lease")))
    }

    /// Records that the delivery `hubID` holds succeeded (stamps success). False when it holds no
    /// unfinished claim of it (another hub claimed it after the lease ended).
    @discardableResult
    public func succeedDelivery(eventID: String, hubID: String) async throws -> Bool {
        try await changeDelivery(
            .succeed(eventID: Identifier(eventID, field: "eventID"), hub: Identifier(hubID, field: "hubID")))
    }

    /// Records that the delivery `hubID` holds failed: pending again after `retryAfter` while its
    /// attempts are below `maxAttempts`, else a dead letter. False when it holds no unfinished
    /// claim of it.
    @discardableResult
    public func failDelivery(
        eventID: String, hubID: String, maxAttempts: Int, retryAfter: Duration
    ) async throws -> Bool {
        try await changeDelivery(
            .fail(
                eventID: Identifier(eventID, field: "eventID"), hub: Identifier(hubID, field: "hubID"),
                maxAttempts: Self.checkedMaxAttempts(maxAttempts), retryAfter: Timeout(retryAfter, field: "retryAfter"))
        )
    }

    /// Gives back a claim with a lease that `hubID` holds: pending again now, its attempt still
    /// counted. False when it holds none.
    @discardableResult
    public func releaseDelivery(eventID: String, hubID: String) async throws -> Bool {
        try await changeDelivery(
            .release(eventID: Identifier(eventID, field: "eventID"), hub: Identifier(hubID, field: "hubID")))
    }

    /// Makes a pending delivery whose attempts reached `maxAttempts` a dead letter (its last
    /// claim's lease ended without an outcome). False when it is not pending at the maximum.
    @discardableResult
    public func exhaustDelivery(eventID: String, maxAttempts: Int) async throws -> Bool {
        try await changeDelivery(
            .exhaust(eventID: Identifier(eventID, field: "eventID"), maxAttempts: Self.checkedMaxAttempts(maxAttempts)))
    }

    /// Gives a dead letter another round of delivery, if it is still the one `seen` (as
    /// ``readDeadLetters(limit:)`` or ``readEventPublished(eventID:)`` returned it: same failed
    /// stamp and attempts): attempts, failure, claim and back-off are cleared, and it is pending.
    /// False when it is not a dead letter (held by a hub, pending, finished) or changed since: a
    /// live claim is never taken from its holder, and repeating a requeue is harmless.
    @discardableResult
    public func requeueDeadLetter(_ seen: EventPublished) async throws -> Bool {
        guard let (eventID, failed) = try Self.deadLetter(seen) else { return false }
        return try await changeDelivery(.requeue(eventID: eventID, failed: failed, attempts: seen.attempts))
    }

    /// Sets a dead letter aside for good, if it is still the one `seen`: stamps it orphan, so it
    /// leaves the dead letters, is never delivered again, and retention may remove it. False when
    /// it is not a dead letter or changed since.
    @discardableResult
    public func discardDeadLetter(_ seen: EventPublished) async throws -> Bool {
        guard let (eventID, failed) = try Self.deadLetter(seen) else { return false }
        return try await changeDelivery(.discard(eventID: eventID, failed: failed, attempts: seen.attempts))
    }

    /// Retention: deletes at most `limit` (1–10,000) delivery rows whose delivery finished
    /// (stamped success or orphan) at or before `before`; dead letters stay until requeued or
    /// discarded. Returns how many it deleted; fewer than `limit` means none is left. The events
    /// stay. ``EventflowDB/applyRetention(before:batchSize:lockTimeout:)`` loops it.
    public func deleteEventsPublishedFinished(before: Date, limit: Int) async throws -> Int {
        try await removeFinished(Cutoff(before, field: "before", limit: limit))
    }

    /// `maxAttempts` checked: 1–10,000.
    static func checkedMaxAttempts(_ value: Int) throws -> Int {
        guard (1...10_000).contains(value) else {
            throw EventflowDBError.invalid("maxAttempts", "must be 1 to 10000")
        }
        return value
    }

    /// A seen dead letter's checked id and failed stamp; nil when what was seen was no dead letter.
    static func deadLetter(_ seen: EventPublished) throws -> (Identifier, Date)? {
        let eventID = try Identifier(seen.eventID, field: "eventID")
        guard let failed = seen.failed, seen.success == nil, seen.orphan == nil else { return nil }
        try Validator.date(failed, field: "failed")
        guard seen.attempts >= 0 else { throw EventflowDBError.invalid("attempts", "must not be negative") }
        return (eventID, failed)
    }
}

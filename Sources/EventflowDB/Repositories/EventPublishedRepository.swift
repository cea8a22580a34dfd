public import Foundation

/// The delivery state of published events.
///
/// The two "consumed" updates are claims: of any number of concurrent callers, exactly one gets
/// `true`. The terminal stamps (success, failed, orphan) are set once.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values (see ``EventRepository``).
public protocol EventPublishedRepository: Sendable {
    /// Implements ``persistEventPublished(_:)-(NewEventPublished)``.
    @discardableResult
    func persistEventPublished(_ published: Validated<NewEventPublished>) async throws -> Bool
    /// Implements ``readEventPublished(eventID:)-(String)``.
    func readEventPublished(eventID: Identifier) async throws -> EventPublished
    /// Implements ``updateEventPublishedToConsumedByHub(eventID:hubID:)-(String,String)``.
    func updateEventPublishedToConsumedByHub(eventID: Identifier, hubID: Identifier) async throws -> Bool
    /// Implements ``updateEventPublishedToConsumedBySpoke(eventID:spokeID:)-(String,String)``.
    func updateEventPublishedToConsumedBySpoke(eventID: Identifier, spokeID: Identifier) async throws -> Bool
    /// Implements ``updateEventPublished(eventID:to:)-(String,_)`` and the three stamps.
    @discardableResult
    func updateEventPublished(eventID: Identifier, to outcome: PublishedOutcome) async throws -> Bool
    /// Implements ``readEventsPublishedNotConsumed(publishedBefore:limit:)``; the cutoff has a
    /// time and a limit.
    func readEventsPublishedNotConsumed(_ cutoff: Cutoff) async throws -> [EventPublished]
    /// Implements ``readPendingDeliveries(publishedBefore:after:limit:)``; the cutoff has a time
    /// and a limit.
    func readPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) async throws -> [PendingDelivery]
    /// Implements ``recordDeliveryAttempt(eventID:)-(String)``.
    func recordDeliveryAttempt(eventID: Identifier) async throws -> Int
    /// Implements ``readDeadLetters(maxAttempts:limit:)``.
    func readDeadLetters(maxAttempts: Int, page: Page) async throws -> [EventPublished]
    /// Implements ``requeueDeadLetter(eventID:)-(String)``.
    func requeueDeadLetter(eventID: Identifier) async throws -> Bool
    /// Implements ``deleteEventsPublishedFinished(before:limit:)``; the cutoff has a time and a
    /// limit.
    func deleteEventsPublishedFinished(_ cutoff: Cutoff) async throws -> Int
}

extension EventPublishedRepository {
    /// Records that an event was published, now. Returns false when it was already recorded.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedPersist`` for an unknown event or hub.
    @discardableResult
    public func persistEventPublished(_ published: NewEventPublished) async throws -> Bool {
        try await persistEventPublished(Validated(published))
    }

    /// The whole delivery state of an event.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedNotFound`` when it was never published.
    public func readEventPublished(eventID: String) async throws -> EventPublished {
        try await readEventPublished(eventID: Identifier(eventID, field: "eventID"))
    }

    /// Claims the event for a hub. True for exactly one caller while no hub has consumed it.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedCreate`` for an unknown hub.
    public func updateEventPublishedToConsumedByHub(eventID: String, hubID: String) async throws -> Bool {
        try await updateEventPublishedToConsumedByHub(
            eventID: Identifier(eventID, field: "eventID"), hubID: Identifier(hubID, field: "hubID"))
    }

    /// Claims the event for a spoke (sets the consumer). True for exactly one caller.
    public func updateEventPublishedToConsumedBySpoke(eventID: String, spokeID: String) async throws -> Bool {
        try await updateEventPublishedToConsumedBySpoke(
            eventID: Identifier(eventID, field: "eventID"), spokeID: Identifier(spokeID, field: "spokeID"))
    }

    /// Stamps how the delivery ended, once. False when that stamp is set or the event was never
    /// published.
    @discardableResult
    public func updateEventPublished(eventID: String, to outcome: PublishedOutcome) async throws -> Bool {
        try await updateEventPublished(eventID: Identifier(eventID, field: "eventID"), to: outcome)
    }

    /// Stamps success, once. False when already stamped or never published.
    @discardableResult
    public func updateEventPublishedToSuccess(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .success)
    }

    /// Stamps failed, once.
    @discardableResult
    public func updateEventPublishedToFailed(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .failed)
    }

    /// Stamps orphan, once.
    @discardableResult
    public func updateEventPublishedToOrphan(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .orphan)
    }

    /// Published events that no hub has consumed, published at or before `publishedBefore`,
    /// oldest first, at most `limit` (1–10,000): what a hub redelivers after a crash. Events
    /// scheduled for later (published up front, not yet due and not executed) are left out until
    /// they are due.
    public func readEventsPublishedNotConsumed(publishedBefore: Date, limit: Int) async throws -> [EventPublished] {
        try await readEventsPublishedNotConsumed(Cutoff(publishedBefore, field: "publishedBefore", limit: limit))
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
        return try await readPendingDeliveries(cutoff, after: cursor)
    }

    /// Every pending delivery published at or before `publishedBefore`, with its event, as an
    /// asynchronous sequence read `pageSize` at a time: a hub's redelivery after a crash, in
    /// bounded memory however long the backlog.
    ///
    /// ```swift
    /// for try await pending in db.published.pendingDeliveries(publishedBefore: Date())
    /// where pending.delivery.attempts < 5 {
    ///     try await redeliver(pending.event)
    /// }
    /// ```
    public func pendingDeliveries(publishedBefore: Date, pageSize: Int = 1_000) -> Pages<PendingDelivery> {
        Pages { last in
            try Validator.limit(pageSize, field: "pageSize")
            return try await readPendingDeliveries(
                publishedBefore: publishedBefore, after: last?.cursor, limit: pageSize)
        }
    }

    /// Counts one more delivery attempt of a published event and returns the count. A hub calls
    /// it each time it (re)delivers; once the count passes its maximum, the event is a dead
    /// letter (``readDeadLetters(maxAttempts:limit:)``) rather than delivered again.
    ///
    /// Not repeated after a lost reply (the count could grow twice): such a call fails with
    /// ``EventflowDBError/isOutcomeUnknown``.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedNotFound`` when the event was never published.
    public func recordDeliveryAttempt(eventID: String) async throws -> Int {
        try await recordDeliveryAttempt(eventID: Identifier(eventID, field: "eventID"))
    }

    /// Dead letters: published events whose delivery was tried at least `maxAttempts` (1 or more)
    /// times and neither succeeded nor was discarded (stamped orphan), oldest first, at most
    /// `limit` (1–10,000).
    public func readDeadLetters(maxAttempts: Int, limit: Int) async throws -> [EventPublished] {
        guard maxAttempts >= 1 else { throw EventflowDBError.invalid("maxAttempts", "must be at least 1") }
        return try await readDeadLetters(maxAttempts: maxAttempts, page: Page(after: 0, limit: limit))
    }

    /// Gives a dead letter another round of delivery: its attempts, failure and hub claim are
    /// cleared, so hubs see it again among the published events not consumed. False when the
    /// event is not published, succeeded or was discarded, or has nothing to clear.
    @discardableResult
    public func requeueDeadLetter(eventID: String) async throws -> Bool {
        try await requeueDeadLetter(eventID: Identifier(eventID, field: "eventID"))
    }

    /// Sets a dead letter aside for good: stamps it orphan (a terminal state), so it leaves the
    /// dead letters and is never redelivered. False when already stamped orphan.
    @discardableResult
    public func discardDeadLetter(eventID: String) async throws -> Bool {
        try await updateEventPublished(eventID: eventID, to: .orphan)
    }

    /// Retention: deletes at most `limit` (1–10,000) delivery rows whose delivery finished
    /// (stamped success, failed or orphan) at or before `before`. Returns how many it deleted;
    /// fewer than `limit` means none is left. The events stay. Small batches keep each delete's
    /// row locks short; ``EventflowDB/applyRetention(before:batchSize:lockTimeout:)`` loops them.
    public func deleteEventsPublishedFinished(before: Date, limit: Int) async throws -> Int {
        try await deleteEventsPublishedFinished(Cutoff(before, field: "before", limit: limit))
    }
}

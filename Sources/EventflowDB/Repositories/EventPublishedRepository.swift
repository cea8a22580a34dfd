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

    /// Retention: deletes at most `limit` (1–10,000) delivery rows whose delivery finished
    /// (stamped success, failed or orphan) at or before `before`. Returns how many it deleted;
    /// fewer than `limit` means none is left. The events stay. Small batches keep each delete's
    /// row locks short; ``EventflowDB/applyRetention(before:batchSize:lockTimeout:)`` loops them.
    public func deleteEventsPublishedFinished(before: Date, limit: Int) async throws -> Int {
        try await deleteEventsPublishedFinished(Cutoff(before, field: "before", limit: limit))
    }
}

public import Foundation

/// The delivery state of published events.
///
/// The two "consumed" updates are claims: of any number of concurrent callers, exactly one gets
/// `true`. The terminal stamps (success, failed, orphan) are set once.
public protocol EventPublishedRepository: Sendable {
    /// Records that an event was published, now. Returns false when it was already recorded.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedPersist`` for an unknown event or hub.
    @discardableResult
    func persistEventPublished(_ published: NewEventPublished) async throws -> Bool

    /// The whole delivery state of an event.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedNotFound`` when it was never published.
    func readEventPublished(eventID: String) async throws -> EventPublished

    /// Claims the event for a hub. True for exactly one caller while no hub has consumed it.
    ///
    /// - Throws: ``EventflowDBError/Code/eventPublishedCreate`` for an unknown hub.
    func updateEventPublishedToConsumedByHub(eventID: String, hubID: String) async throws -> Bool

    /// Claims the event for a spoke (sets the consumer). True for exactly one caller.
    func updateEventPublishedToConsumedBySpoke(eventID: String, spokeID: String) async throws -> Bool

    /// Stamps success, once. False when already stamped or never published.
    @discardableResult
    func updateEventPublishedToSuccess(eventID: String) async throws -> Bool

    /// Stamps failed, once.
    @discardableResult
    func updateEventPublishedToFailed(eventID: String) async throws -> Bool

    /// Stamps orphan, once.
    @discardableResult
    func updateEventPublishedToOrphan(eventID: String) async throws -> Bool

    /// Published events that no hub has consumed, published at or before `publishedBefore`,
    /// oldest first, at most `limit`: what a hub redelivers after a crash. Events scheduled for
    /// later (published up front, not yet due and not executed) are left out until they are due.
    func readEventsPublishedNotConsumed(publishedBefore: Date, limit: Int) async throws -> [EventPublished]
}

public import EventflowDB
import Foundation

/// ``EventPublishedRepository`` in memory. Claims are atomic on the store actor.
extension InMemoryRepository: EventPublishedRepository {
    @discardableResult
    public func persistEventPublished(_ published: Validated<NewEventPublished>) async throws -> Bool {
        try await store.persistEventPublished(published.input)
    }

    public func readEventPublished(eventID: Identifier) async throws -> EventPublished {
        try await store.readEventPublished(eventID: eventID.value)
    }

    public func updateEventPublishedToConsumedByHub(eventID: Identifier, hubID: Identifier) async throws -> Bool {
        try await store.claimByHub(eventID: eventID.value, hubID: hubID.value)
    }

    public func updateEventPublishedToConsumedBySpoke(eventID: Identifier, spokeID: Identifier) async throws -> Bool {
        try await store.claimBySpoke(eventID: eventID.value, spokeID: spokeID.value)
    }

    @discardableResult
    public func updateEventPublishedToSuccess(eventID: Identifier) async throws -> Bool {
        try await store.stampPublished(eventID: eventID.value, \.success, code: .eventPublishedUpdateSuccess)
    }

    @discardableResult
    public func updateEventPublishedToFailed(eventID: Identifier) async throws -> Bool {
        try await store.stampPublished(eventID: eventID.value, \.failed, code: .eventPublishedUpdateFailed)
    }

    @discardableResult
    public func updateEventPublishedToOrphan(eventID: Identifier) async throws -> Bool {
        try await store.stampPublished(eventID: eventID.value, \.orphan, code: .eventPublishedUpdateOrphan)
    }

    public func readEventsPublishedNotConsumed(_ cutoff: Cutoff) async throws -> [EventPublished] {
        try await store.readEventsPublishedNotConsumed(
            publishedBefore: (cutoff.time ?? store.clock.now()).truncatedToMilliseconds, limit: cutoff.limit ?? .max)
    }
}

public import EventflowDB
public import Foundation

/// ``EventPublishedRepository`` in memory. Claims are atomic on the store actor.
public struct InMemoryEventPublishedRepository: EventPublishedRepository {
    public let store: InMemoryStore

    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    @discardableResult
    public func persistEventPublished(_ published: NewEventPublished) async throws -> Bool {
        try Validator.validate(published)
        return try await store.persistEventPublished(published)
    }

    public func readEventPublished(eventID: String) async throws -> EventPublished {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.readEventPublished(eventID: eventID)
    }

    public func updateEventPublishedToConsumedByHub(eventID: String, hubID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(hubID, field: "hubID")
        return try await store.claimByHub(eventID: eventID, hubID: hubID)
    }

    public func updateEventPublishedToConsumedBySpoke(eventID: String, spokeID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(spokeID, field: "spokeID")
        return try await store.claimBySpoke(eventID: eventID, spokeID: spokeID)
    }

    @discardableResult
    public func updateEventPublishedToSuccess(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.stampPublished(eventID: eventID, \.success, code: .eventPublishedUpdateSuccess)
    }

    @discardableResult
    public func updateEventPublishedToFailed(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.stampPublished(eventID: eventID, \.failed, code: .eventPublishedUpdateFailed)
    }

    @discardableResult
    public func updateEventPublishedToOrphan(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.stampPublished(eventID: eventID, \.orphan, code: .eventPublishedUpdateOrphan)
    }

    public func readEventsPublishedNotConsumed(publishedBefore: Date, limit: Int) async throws -> [EventPublished] {
        try Validator.date(publishedBefore, field: "publishedBefore")
        try Validator.limit(limit)
        return try await store.readEventsPublishedNotConsumed(
            publishedBefore: publishedBefore.truncatedToMilliseconds, limit: limit)
    }
}

public import EventflowDB
public import Foundation

/// ``EventPublishedRepository`` on MariaDB. Each claim is one conditional `UPDATE` in
/// autocommit that also writes a claim token: the server lets exactly one caller change the row,
/// and the token tells that caller it won even when the reply was lost.
public struct MariaDBEventPublishedRepository: EventPublishedRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    @discardableResult
    public func persistEventPublished(_ published: NewEventPublished) async throws -> Bool {
        try Validator.validate(published)
        let now = context.now().truncatedToSeconds
        let result = try await context.execute(
            .eventPublishedPersist, "could not persist event published",
            """
            INSERT INTO event_published (event_id, published, publisher, consumer, hub)
            VALUES (\(published.eventID), \(now), \(published.publisher), \(published.consumer), \(published.hub))
            ON DUPLICATE KEY UPDATE event_id = event_id
            """)
        return result.affectedRows > 0
    }

    public func readEventPublished(eventID: String) async throws -> EventPublished {
        try Validator.identifier(eventID, field: "eventID")
        let rows = try await context.fetch(
            .eventPublishedRead, "could not read event published", EventPublished.self,
            "SELECT \(unescaped: EventPublished.columns) FROM event_published WHERE event_id = \(eventID)")
        guard let state = rows.first else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return state
    }

    public func updateEventPublishedToConsumedByHub(eventID: String, hubID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(hubID, field: "hubID")
        return try await context.claim(
            .publishedByHub, eventID: eventID, claimant: hubID, code: .eventPublishedCreate,
            message: "could not update published event to consumed by hub")
    }

    public func updateEventPublishedToConsumedBySpoke(eventID: String, spokeID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(spokeID, field: "spokeID")
        return try await context.claim(
            .publishedBySpoke, eventID: eventID, claimant: spokeID, code: .eventPublishedCreate,
            message: "could not update published event to consumed by spoke")
    }

    @discardableResult
    public func updateEventPublishedToSuccess(eventID: String) async throws -> Bool {
        try await stamp(.success, eventID: eventID, code: .eventPublishedUpdateSuccess)
    }

    @discardableResult
    public func updateEventPublishedToFailed(eventID: String) async throws -> Bool {
        try await stamp(.failed, eventID: eventID, code: .eventPublishedUpdateFailed)
    }

    @discardableResult
    public func updateEventPublishedToOrphan(eventID: String) async throws -> Bool {
        try await stamp(.orphan, eventID: eventID, code: .eventPublishedUpdateOrphan)
    }

    public func readEventsPublishedNotConsumed(publishedBefore: Date, limit: Int) async throws -> [EventPublished] {
        try Validator.date(publishedBefore, field: "publishedBefore")
        try Validator.limit(limit)
        let now = ReadBound.clamp(context.now())
        return try await context.fetch(
            .eventPublishedRead, "could not read published events not consumed", EventPublished.self,
            """
            SELECT \(unescaped: EventPublished.columns) FROM event_published p
            WHERE p.consumed_hub IS NULL AND p.published <= \(publishedBefore.truncatedToMilliseconds)
              AND NOT EXISTS (
                SELECT 1 FROM event_scheduled s
                WHERE s.event_id = p.event_id AND s.executed IS NULL AND s.scheduled > \(now))
            ORDER BY p.published, p.event_id LIMIT \(limit)
            """)
    }

    /// The terminal columns; the SQL names come from this fixed list only.
    private enum Stamp: String {
        case success, failed, orphan
    }

    private func stamp(_ column: Stamp, eventID: String, code: EventflowDBError.Code) async throws -> Bool {
        try await context.stampOnce(table: "event_published", column: column.rawValue, eventID: eventID, code: code)
    }
}

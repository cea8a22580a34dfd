public import EventflowDB
import Foundation

/// ``EventPublishedRepository`` on MariaDB. Each claim is one conditional `UPDATE` in
/// autocommit that also writes a claim token: the server lets exactly one caller change the row,
/// and the token tells that caller it won even when the reply was lost.
extension MariaDBRepository: EventPublishedRepository {
    public func persistEventPublished(_ published: Validated<NewEventPublished>) async throws -> Bool {
        try await context.changesRows(
            .eventPublishedPersist, "could not persist event published",
            """
            INSERT INTO event_published (event_id, published, publisher, consumer, hub)
            VALUES (\(published.eventID), \(context.now().truncatedToSeconds), \(published.publisher),
              \(published.consumer), \(published.hub))
            ON DUPLICATE KEY UPDATE event_id = event_id
            """)
    }

    public func readEventPublished(eventID: Identifier) async throws -> EventPublished {
        let rows = try await context.fetch(
            .eventPublishedRead, "could not read event published", EventPublished.self,
            "SELECT \(unescaped: EventPublished.columns) FROM event_published WHERE event_id = \(eventID)")
        guard let state = rows.first else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return state
    }

    public func updateEventPublishedToConsumedByHub(eventID: Identifier, hubID: Identifier) async throws -> Bool {
        return try await context.claim(
            .publishedByHub, eventID: eventID.value, claimant: hubID.value, code: .eventPublishedCreate,
            message: "could not update published event to consumed by hub")
    }

    public func updateEventPublishedToConsumedBySpoke(eventID: Identifier, spokeID: Identifier) async throws -> Bool {
        return try await context.claim(
            .publishedBySpoke, eventID: eventID.value, claimant: spokeID.value, code: .eventPublishedCreate,
            message: "could not update published event to consumed by spoke")
    }

    public func updateEventPublished(eventID: Identifier, to outcome: PublishedOutcome) async throws -> Bool {
        try await context.stampOnce(
            table: "event_published", column: outcome.rawValue, eventID: eventID.value, code: outcome.errorCode)
    }

    public func deleteEventsPublishedFinished(_ cutoff: Cutoff) async throws -> Int {
        let before = (cutoff.time ?? context.now()).truncatedToMilliseconds
        let result = try await context.execute(
            .retentionDelete, "could not delete finished deliveries", retry: .idempotent,
            """
            DELETE FROM event_published WHERE success <= \(before) OR failed <= \(before) OR orphan <= \(before) \
            ORDER BY event_id LIMIT \(cutoff.limit ?? .max)
            """)
        return Int(result.affectedRows)
    }

    public func readEventsPublishedNotConsumed(_ cutoff: Cutoff) async throws -> [EventPublished] {
        let now = ReadBound.clamp(context.now())
        return try await context.fetch(
            .eventPublishedRead, "could not read published events not consumed", EventPublished.self,
            """
            SELECT \(unescaped: EventPublished.columns) FROM event_published p
            WHERE p.consumed_hub IS NULL AND p.published <= \((cutoff.time ?? now).truncatedToMilliseconds)
              AND NOT EXISTS (
                SELECT 1 FROM event_scheduled s
                WHERE s.event_id = p.event_id AND s.executed IS NULL AND s.scheduled > \(now))
            ORDER BY p.published, p.event_id LIMIT \(cutoff.limit ?? .max)
            """)
    }

}

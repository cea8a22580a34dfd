public import EventflowDB
import Foundation

/// ``/EventflowDB/EventPublishedRepository`` on MariaDB. Each claim is one conditional `UPDATE` in
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

    public func recordDeliveryAttempt(eventID: Identifier) async throws -> Int {
        // LAST_INSERT_ID(expr) hands the new count back with the update itself: no second read
        // that another hub's increment could slip before.
        let result = try await context.execute(
            .eventPublishedUpdateAttempt, "could not count a delivery attempt",
            "UPDATE event_published SET attempts = LAST_INSERT_ID(attempts + 1) WHERE event_id = \(eventID)")
        guard result.affectedRows == 1 else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return Int(result.lastInsertID)
    }

    public func readDeadLetters(maxAttempts: Int, page: Page) async throws -> [EventPublished] {
        try await context.fetch(
            .eventPublishedRead, "could not read dead letters", EventPublished.self,
            """
            SELECT \(unescaped: EventPublished.columns) FROM event_published
            WHERE attempts >= \(maxAttempts) AND success IS NULL AND orphan IS NULL
            ORDER BY published, event_id LIMIT \(page.limit)
            """)
    }

    public func requeueDeadLetter(eventID: Identifier) async throws -> Bool {
        try await context.changesRows(
            .eventPublishedRequeue, "could not requeue a dead letter", retry: .idempotent,
            """
            UPDATE event_published SET attempts = 0, failed = NULL, consumed_hub = NULL, consumed_hub_claim = NULL
            WHERE event_id = \(eventID) AND success IS NULL AND orphan IS NULL
            """)
    }

    public func deleteEventsPublishedFinished(_ cutoff: Cutoff) async throws -> Int {
        let before = (cutoff.time ?? context.now()).truncatedToMilliseconds
        return try await context.deleteFinished(
            .retentionDelete, "could not delete finished deliveries", table: "event_published",
            finished: RetentionBatch.finishedDeliveries(before: before), limit: cutoff.limit)
    }

    public func readEventsPublishedNotConsumed(_ cutoff: Cutoff) async throws -> [EventPublished] {
        try await context.fetch(
            .eventPublishedRead, "could not read published events not consumed", EventPublished.self,
            pending(EventPublished.columns, cutoff, after: nil))
    }

    public func readPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) async throws -> [PendingDelivery] {
        try await context.fetch(
            .eventPublishedRead, "could not read pending deliveries", PendingDelivery.self,
            pending(PendingDelivery.columns, cutoff, after: after, joiningEvents: true))
    }

    /// Published, not consumed by a hub, published by the cutoff, and not waiting for a schedule
    /// that is not yet due; by (published, event id), after `cursor`.
    private func pending(
        _ columns: MariaDBColumns, _ cutoff: Cutoff, after cursor: DeliveryCursor?, joiningEvents: Bool = false
    ) -> MariaDBQuery {
        let now = ReadBound.clamp(context.now())
        let join = joiningEvents ? " JOIN event e ON e.id = p.event_id" : ""
        var query: MariaDBQuery =
            """
            SELECT \(unescaped: columns) FROM event_published p\(unescaped: join)
            WHERE p.consumed_hub IS NULL AND p.published <= \((cutoff.time ?? now).truncatedToMilliseconds)
              AND NOT EXISTS (
                SELECT 1 FROM event_scheduled s
                WHERE s.event_id = p.event_id AND s.executed IS NULL AND s.scheduled > \(now))
            """
        if let cursor {
            query.append(
                """
                 AND (p.published > \(cursor.published) OR (p.published = \(cursor.published) \
                AND p.event_id > \(cursor.eventID)))
                """)
        }
        query.append(" ORDER BY p.published, p.event_id LIMIT \(cutoff.limit ?? .max)")
        return query
    }

}

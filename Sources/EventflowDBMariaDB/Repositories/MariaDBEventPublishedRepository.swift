public import EventflowDB
import Foundation

/// ``/EventflowDB/EventPublishedRepository`` on MariaDB. Each claim and each lifecycle transition
/// is one conditional `UPDATE` in autocommit that also writes a random token: the server lets
/// exactly one caller change the row, and the token tells that caller it did even when the
/// reply was lost.
extension MariaDBRepository: EventPublishedRepository {
    public func insertPublished(_ published: Validated<NewEventPublished>) async throws -> Bool {
        try await context.changesRows(
            .eventPublishedPersist, "could not persist event published",
            """
            INSERT INTO event_published (event_id, published, publisher, consumer, hub)
            VALUES (\(published.eventID), \(context.now().truncatedToSeconds), \(published.publisher),
              \(published.consumer), \(published.hub))
            ON DUPLICATE KEY UPDATE event_id = event_id
            """)
    }

    public func fetchPublished(eventID: Identifier) async throws -> EventPublished {
        let rows = try await context.fetch(
            .eventPublishedRead, "could not read event published", EventPublished.self,
            "SELECT \(unescaped: EventPublished.columns) FROM event_published WHERE event_id = \(eventID)")
        guard let state = rows.first else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return state
    }

    public func changeConsumed(eventID: Identifier, by consumer: Consumer) async throws -> Bool {
        switch consumer {
        case .hub(let hubID):
            try await context.claim(
                .publishedByHub, eventID: eventID.value, claimant: hubID.value, code: .eventPublishedCreate,
                message: "could not update published event to consumed by hub")
        case .spoke(let spokeID):
            try await context.claim(
                .publishedBySpoke, eventID: eventID.value, claimant: spokeID.value, code: .eventPublishedCreate,
                message: "could not update published event to consumed by spoke")
        }
    }

    public func changeStamp(eventID: Identifier, to outcome: PublishedOutcome) async throws -> Bool {
        try await context.stampOnce(
            table: "event_published", column: outcome.rawValue, eventID: eventID.value, code: outcome.errorCode)
    }

    public func changeDelivery(_ change: DeliveryChange) async throws -> Bool {
        try await context.changeDelivery(change)
    }

    public func removeFinished(_ cutoff: Cutoff) async throws -> Int {
        let before = (cutoff.time ?? context.now()).truncatedToMilliseconds
        return try await context.deleteFinished(
            .retentionDelete, "could not delete finished deliveries", table: "event_published",
            finished: RetentionBatch.finishedDeliveries(before: before), limit: cutoff.limit)
    }

    public func fetchDeliveries(_ query: DeliveryQuery) async throws -> [EventPublished] {
        switch query {
        case .pending(let cutoff):
            return try await context.fetch(
                .eventPublishedRead, "could not read pending deliveries", EventPublished.self,
                pending(EventPublished.columns, cutoff, after: nil))
        case .deadLetters(let page):
            return try await context.fetch(
                .eventPublishedRead, "could not read dead letters", EventPublished.self,
                """
                SELECT \(unescaped: EventPublished.columns) FROM event_published
                WHERE failed IS NOT NULL AND success IS NULL AND orphan IS NULL
                ORDER BY published, event_id LIMIT \(page.limit)
                """)
        case .claims(let hub, let page):
            return try await context.fetch(
                .eventPublishedRead, "could not read a hub's claims", EventPublished.self,
                """
                SELECT \(unescaped: EventPublished.columns) FROM event_published
                WHERE hub = \(hub) AND consumed_hub IS NOT NULL \(DeliverySQL.unfinished)
                ORDER BY published, event_id LIMIT \(page.limit)
                """)
        }
    }

    public func fetchPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) async throws -> [PendingDelivery] {
        try await context.fetch(
            .eventPublishedRead, "could not read pending deliveries", PendingDelivery.self,
            pending(PendingDelivery.columns, cutoff, after: after, joiningEvents: true))
    }

    /// Pending, published by the cutoff, and not waiting for a schedule that is not yet due; by
    /// (published, event id), after `cursor`.
    func pending(
        _ columns: MariaDBColumns, _ cutoff: Cutoff, after cursor: DeliveryCursor?, joiningEvents: Bool = false,
        attemptsBelow maxAttempts: Int? = nil
    ) -> MariaDBQuery {
        let now = ReadBound.clamp(context.now())
        let join = joiningEvents ? " JOIN event e ON e.id = p.event_id" : ""
        var query: MariaDBQuery =
            """
            SELECT \(unescaped: columns) FROM event_published p\(unescaped: join)
            WHERE \(DeliverySQL.pending(at: now, alias: "p.")) \
            AND p.published <= \((cutoff.time ?? now).truncatedToMilliseconds)
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
        if let maxAttempts { query.append(" AND p.attempts < \(maxAttempts)") }
        query.append(" ORDER BY p.published, p.event_id LIMIT \(cutoff.limit ?? .max)")
        return query
    }
}

public import EventflowDB
import Foundation

/// ``/EventflowDB/EventPublishedRepository`` in memory. Claims are atomic on the store actor.
extension InMemoryStore: EventPublishedRepository {
    public func persistEventPublished(_ checked: Validated<NewEventPublished>) throws -> Bool {
        let new = checked.input
        return try insertRow(of: new.eventID, into: &published, .eventPublishedPersist, "event published") {
            if let hub = new.hub, hubs[hub] == nil {
                throw EventflowDBError.foreignKey(
                    .eventPublishedPersist, "could not persist event published: no such hub", column: "hub")
            }
            return EventPublished(
                eventID: new.eventID, published: clock.now().truncatedToSeconds, publisher: new.publisher,
                consumer: new.consumer, hub: new.hub)
        }
    }

    public func readEventPublished(eventID: Identifier) throws -> EventPublished {
        try ensureOpen(.eventPublishedRead)
        guard let row = published[eventID.value] else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return row
    }

    public func updateEventPublishedToConsumedByHub(eventID: Identifier, hubID: Identifier) throws -> Bool {
        try ensureOpen(.eventPublishedCreate)
        guard let row = published[eventID.value], row.consumedHub == nil else { return false }
        guard hubs[hubID.value] != nil else {
            throw EventflowDBError.foreignKey(
                .eventPublishedCreate, "could not update published event to consumed: no such hub", column: "hub")
        }
        published[eventID.value]?.hub = hubID.value
        published[eventID.value]?.consumedHub = clock.now().truncatedToSeconds
        return true
    }

    public func updateEventPublishedToConsumedBySpoke(eventID: Identifier, spokeID: Identifier) throws -> Bool {
        try ensureOpen(.eventPublishedCreate)
        guard let row = published[eventID.value], row.consumedSpoke == nil else { return false }
        published[eventID.value]?.consumer = spokeID.value
        published[eventID.value]?.consumedSpoke = clock.now().truncatedToSeconds
        return true
    }

    public func updateEventPublished(eventID: Identifier, to outcome: PublishedOutcome) throws -> Bool {
        try ensureOpen(outcome.errorCode)
        let column: WritableKeyPath<EventPublished, Date?> =
            switch outcome {
            case .success: \.success
            case .failed: \.failed
            case .orphan: \.orphan
            }
        guard let row = published[eventID.value], row[keyPath: column] == nil else { return false }
        published[eventID.value]?[keyPath: column] = clock.now().truncatedToSeconds
        return true
    }

    public func recordDeliveryAttempt(eventID: Identifier) throws -> Int {
        try ensureOpen(.eventPublishedUpdateAttempt)
        guard published[eventID.value] != nil else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        published[eventID.value]!.attempts += 1
        return published[eventID.value]!.attempts
    }

    public func readDeadLetters(maxAttempts: Int, page: Page) throws -> [EventPublished] {
        try ensureOpen(.eventPublishedRead)
        return Array(
            published.values.filter { $0.attempts >= maxAttempts && $0.success == nil && $0.orphan == nil }
                .sorted { ($0.published, $0.eventID) < ($1.published, $1.eventID) }
                .prefix(page.limit))
    }

    public func requeueDeadLetter(eventID: Identifier) throws -> Bool {
        try ensureOpen(.eventPublishedRequeue)
        guard var row = published[eventID.value], row.success == nil, row.orphan == nil,
            row.attempts != 0 || row.failed != nil || row.consumedHub != nil
        else { return false }
        (row.attempts, row.failed, row.consumedHub) = (0, nil, nil)
        published[eventID.value] = row
        return true
    }

    public func deleteEventsPublishedFinished(_ cutoff: Cutoff) throws -> Int {
        try ensureOpen(.retentionDelete)
        let before = (cutoff.time ?? clock.now()).truncatedToMilliseconds
        let finished = published.values.filter { row in
            [row.success, row.failed, row.orphan].contains { $0.map { $0 <= before } ?? false }
        }
        let doomed = finished.map(\.eventID).sorted().prefix(cutoff.limit ?? .max)
        for id in doomed { published[id] = nil }
        return doomed.count
    }

    public func readEventsPublishedNotConsumed(_ cutoff: Cutoff) throws -> [EventPublished] {
        try pending(cutoff, after: nil)
    }

    public func readPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) throws -> [PendingDelivery] {
        try pending(cutoff, after: after).compactMap { delivery in
            events[delivery.eventID].map { PendingDelivery(event: $0.event, delivery: delivery) }
        }
    }

    /// Published, not consumed by a hub, published by the cutoff, and not waiting for a schedule
    /// that is not yet due; by (published, event id), after `cursor`.
    private func pending(_ cutoff: Cutoff, after cursor: DeliveryCursor?) throws -> [EventPublished] {
        try ensureOpen(.eventPublishedRead)
        let now = clock.now().truncatedToMilliseconds
        let before = cutoff.time?.truncatedToMilliseconds ?? now
        // Not yet due: scheduled for later and not executed.
        func waitsForSchedule(_ eventID: String) -> Bool {
            guard let schedule = scheduled[eventID] else { return false }
            return schedule.executed == nil && schedule.scheduled > now
        }
        return Array(
            published.values.filter { row in
                row.consumedHub == nil && row.published <= before && !waitsForSchedule(row.eventID)
                    && cursor.map { (row.published, row.eventID) > ($0.published, $0.eventID) } ?? true
            }
            .sorted { ($0.published, $0.eventID) < ($1.published, $1.eventID) }
            .prefix(cutoff.limit ?? .max))
    }
}

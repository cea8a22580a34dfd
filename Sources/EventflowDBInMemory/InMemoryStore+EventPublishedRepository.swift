public import EventflowDB
import Foundation

/// ``/EventflowDB/EventPublishedRepository`` in memory. Claims and transitions are atomic on the
/// store actor.
extension InMemoryStore: EventPublishedRepository {
    public func insertPublished(_ checked: Validated<NewEventPublished>) throws -> Bool {
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

    public func fetchPublished(eventID: Identifier) throws -> EventPublished {
        try ensureOpen(.eventPublishedRead)
        guard let row = published[eventID.value] else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return row
    }

    public func changeConsumed(eventID: Identifier, by consumer: Consumer) throws -> Bool {
        try ensureOpen(.eventPublishedCreate)
        let now = clock.now().truncatedToSeconds
        switch consumer {
        case .hub(let hubID):
            guard let row = published[eventID.value], row.consumedHub == nil else { return false }
            try requireHub(hubID)
            published[eventID.value]?.hub = hubID.value
            published[eventID.value]?.consumedHub = now
        case .spoke(let spokeID):
            guard let row = published[eventID.value], row.consumedSpoke == nil else { return false }
            published[eventID.value]?.consumer = spokeID.value
            published[eventID.value]?.consumedSpoke = now
        }
        return true
    }

    public func changeStamp(eventID: Identifier, to outcome: PublishedOutcome) throws -> Bool {
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

    public func changeDelivery(_ change: DeliveryChange) throws -> Bool {
        try ensureOpen(change.errorCode)
        let now = clock.now().truncatedToMilliseconds
        let stamp = clock.now().truncatedToSeconds
        guard var row = published[change.eventID.value] else { return false }
        switch change {
        case .claim(_, let hub, let lease, let maxAttempts):
            guard row.isPending(at: now), row.attempts < maxAttempts else { return false }
            try requireHub(hub)
            (row.consumedHub, row.hub, row.leaseUntil, row.retryAt) =
                (stamp, hub.value, now.addingTimeInterval(lease.seconds).truncatedToMilliseconds, nil)
            row.attempts += 1
        case .renew(_, let hub, let lease):
            guard row.isHeld(by: hub), row.leaseUntil != nil else { return false }
            row.leaseUntil = now.addingTimeInterval(lease.seconds).truncatedToMilliseconds
        case .succeed(_, let hub):
            guard row.isHeld(by: hub) else { return false }
            (row.success, row.leaseUntil) = (stamp, nil)
        case .fail(_, let hub, let maxAttempts, let retryAfter):
            guard row.isHeld(by: hub) else { return false }
            if row.attempts >= maxAttempts {
                (row.failed, row.leaseUntil) = (stamp, nil)
            } else {
                (row.consumedHub, row.leaseUntil) = (nil, nil)
                row.retryAt = now.addingTimeInterval(retryAfter.seconds).truncatedToMilliseconds
            }
        case .release(_, let hub):
            guard row.isHeld(by: hub), row.leaseUntil != nil else { return false }
            (row.consumedHub, row.leaseUntil) = (nil, nil)
        case .exhaust(_, let maxAttempts):
            guard row.isPending(at: now, ignoringBackOff: true), row.attempts >= maxAttempts else { return false }
            (row.failed, row.leaseUntil) = (stamp, nil)
        case .requeue(_, let failed, let attempts):
            guard row.isDeadLetter(failed: failed, attempts: attempts) else { return false }
            (row.failed, row.consumedHub, row.leaseUntil, row.retryAt, row.attempts) = (nil, nil, nil, nil, 0)
        case .discard(_, let failed, let attempts):
            guard row.isDeadLetter(failed: failed, attempts: attempts) else { return false }
            row.orphan = stamp
        }
        published[change.eventID.value] = row
        return true
    }

    public func removeFinished(_ cutoff: Cutoff) throws -> Int {
        try deleteFinished(from: &published, cutoff, id: \.eventID, stamps: [\.success, \.orphan])
    }

    public func fetchDeliveries(_ query: DeliveryQuery) throws -> [EventPublished] {
        switch query {
        case .pending(let cutoff):
            return try pending(cutoff, after: nil)
        case .deadLetters(let page):
            try ensureOpen(.eventPublishedRead)
            return ordered(published.values.filter { $0.failed != nil && $0.success == nil && $0.orphan == nil }, page)
        case .claims(let hub, let page):
            try ensureOpen(.eventPublishedRead)
            return ordered(published.values.filter { $0.isHeld(by: hub) }, page)
        }
    }

    public func claimNextDelivery(hub: Identifier, lease: Timeout, maxAttempts: Int) throws -> PendingDelivery? {
        let candidates = try pending(Cutoff(nil, field: "publishedBefore"), after: nil)
        for candidate in candidates where candidate.attempts < maxAttempts {
            let claim = DeliveryChange.claim(
                eventID: try Identifier(candidate.eventID, field: "eventID"), hub: hub, lease: lease,
                maxAttempts: maxAttempts)
            guard try changeDelivery(claim), let row = published[candidate.eventID],
                let event = events[candidate.eventID]
            else { continue }
            return PendingDelivery(event: event.event, delivery: row)
        }
        return nil
    }

    public func fetchPendingDeliveries(_ cutoff: Cutoff, after: DeliveryCursor?) throws -> [PendingDelivery] {
        try pending(cutoff, after: after).compactMap { delivery in
            events[delivery.eventID].map { PendingDelivery(event: $0.event, delivery: delivery) }
        }
    }

    private func ordered(_ rows: some Sequence<EventPublished>, _ page: Page) -> [EventPublished] {
        Array(rows.sorted { ($0.published, $0.eventID) < ($1.published, $1.eventID) }.prefix(page.limit))
    }

    private func requireHub(_ hub: Identifier) throws {
        guard hubs[hub.value] != nil else {
            throw EventflowDBError.foreignKey(
                .eventPublishedCreate, "could not update published event to consumed: no such hub", column: "hub")
        }
    }

    /// Pending, published by the cutoff, and not waiting for a schedule that is not yet due; by
    /// (published, event id), after `cursor`.
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
                row.isPending(at: now) && row.published <= before && !waitsForSchedule(row.eventID)
                    && cursor.map { (row.published, row.eventID) > ($0.published, $0.eventID) } ?? true
            }
            .sorted { ($0.published, $0.eventID) < ($1.published, $1.eventID) }
            .prefix(cutoff.limit ?? .max))
    }
}

extension EventPublished {
    fileprivate var isUnfinished: Bool { success == nil && failed == nil && orphan == nil }

    /// Unfinished, not held (never claimed or its lease ended), and past any back-off.
    fileprivate func isPending(at now: Date, ignoringBackOff: Bool = false) -> Bool {
        guard isUnfinished else { return false }
        if consumedHub != nil {
            guard let leaseUntil, leaseUntil <= now else { return false }
        }
        return ignoringBackOff || (retryAt.map { $0 <= now } ?? true)
    }

    /// Unfinished and claimed by `hub` (with a lease or without, expired or not).
    fileprivate func isHeld(by hub: Identifier) -> Bool {
        isUnfinished && consumedHub != nil && self.hub == hub.value
    }

    /// A dead letter with this failed stamp and these attempts.
    fileprivate func isDeadLetter(failed seenFailed: Date, attempts seenAttempts: Int) -> Bool {
        success == nil && orphan == nil && failed == seenFailed.truncatedToSeconds && attempts == seenAttempts
    }
}

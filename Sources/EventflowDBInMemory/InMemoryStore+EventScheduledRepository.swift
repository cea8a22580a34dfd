public import EventflowDB
public import Foundation

/// ``/EventflowDB/EventScheduledRepository`` in memory. Every change is one atomic step on the store
/// actor, so a claim is won by exactly one caller.
extension InMemoryStore: EventScheduledRepository {
    public func insertScheduledEvent(_ checked: Validated<NewEventScheduled>) throws -> Bool {
        let new = checked.input
        return try insertRow(of: new.eventID, into: &scheduled, .scheduledEventPersist, "the scheduled event") {
            StoredScheduled(
                eventID: new.eventID, timestamp: clock.now().truncatedToSeconds,
                scheduled: new.scheduled.truncatedToSeconds)
        }
    }

    public func fetchScheduledEvents(_ query: ScheduledQuery) throws -> [ScheduledEvent] {
        try ensureOpen(query.failureCode)
        let now = clock.now().truncatedToMilliseconds
        switch query {
        case .due(let cutoff):
            let due = (cutoff.time ?? now).truncatedToMilliseconds
            let rows = scheduled.values.filter { isDue($0, at: due) && !isClaimedByPublished($0.eventID) }
            return Array(withEvents(rows, by: { max($0.scheduled, $0.retryAt ?? $0.scheduled) }).prefix(limit(cutoff)))
        case .unfinished(let cutoff):
            let before = (cutoff.time ?? now).truncatedToMilliseconds
            let rows = scheduled.values.filter {
                $0.executed.map { $0 <= before } == true && $0.success == nil && $0.failed == nil
                    && $0.discarded == nil
            }
            return Array(withEvents(rows, by: { $0.executed ?? $0.scheduled }).prefix(limit(cutoff)))
        case .deadLetters(let cutoff):
            let at = (cutoff.time ?? now).truncatedToMilliseconds
            let rows = scheduled.values.filter { view($0).state(at: at) == .deadLetter }
            return Array(withEvents(rows, by: \.scheduled).prefix(limit(cutoff)))
        case .run(let eventID):
            return withEvents(scheduled[eventID.value].map { [$0] } ?? [], by: \.scheduled)
        }
    }

    public func fetchNextScheduledTime() throws -> Date? {
        try ensureOpen(.scheduledEventRead)
        return scheduled.values.compactMap { row -> Date? in
            guard row.success == nil, row.failed == nil, row.discarded == nil, !isClaimedByPublished(row.eventID)
            else { return nil }
            guard row.executed != nil else { return max(row.scheduled, row.retryAt ?? row.scheduled) }
            guard let lease = row.leaseExpires, let maxAttempts = row.maxAttempts, row.attempts < maxAttempts
            else { return nil }
            return lease
        }.min()
    }

    public func changeScheduledRun(_ change: ScheduledRunChange) throws -> ScheduledEvent? {
        try ensureOpen(change.failureCode)
        let id = change.eventID.value
        guard var row = scheduled[id] else { return nil }
        let now = clock.now()
        let seconds = now.truncatedToSeconds
        let unstamped = row.success == nil && row.failed == nil && row.discarded == nil
        switch change {
        case .claim(_, let policy):
            let at = now.truncatedToMilliseconds
            guard isDue(row, at: at), row.attempts < policy.maxAttempts, !isClaimedByPublished(id) else { return nil }
            row.attempts += 1
            row.maxAttempts = policy.maxAttempts
            row.leaseExpires = now.adding(policy.lease).truncatedToMilliseconds
            row.retryAt = nil
            row.executed = seconds
            holdPublished(id, at: seconds)
        case .claimWithoutLease:
            guard row.executed == nil, !isClaimedByPublished(id) else { return nil }
            row.attempts += 1
            (row.leaseExpires, row.retryAt, row.executed) = (nil, nil, seconds)
            holdPublished(id, at: seconds)
        case .renew(_, let attempt, let lease):
            guard row.executed != nil, row.leaseExpires != nil, row.attempts == attempt, unstamped else { return nil }
            row.leaseExpires = now.adding(lease).truncatedToMilliseconds
        case .succeed(_, let attempt):
            guard row.executed != nil, row.attempts == attempt, unstamped else { return nil }
            row.success = seconds
            settlePublished(id, \.success, at: seconds)
        case .fail(_, let attempt, let backoff):
            guard row.executed != nil, row.attempts == attempt, unstamped else { return nil }
            if let maxAttempts = row.maxAttempts, row.attempts < maxAttempts {
                (row.executed, row.leaseExpires) = (nil, nil)
                row.retryAt = now.adding(backoff).truncatedToMilliseconds
            } else {
                row.failed = seconds
            }
        case .stamp(_, let outcome):
            let column: WritableKeyPath<StoredScheduled, Date?> = outcome == .success ? \.success : \.failed
            guard row[keyPath: column] == nil else { return nil }
            row[keyPath: column] = seconds
        case .requeue(_, let seen):
            guard view(row).state(at: now.truncatedToMilliseconds) == .deadLetter, row.attempts == seen.attempts,
                row.executed == seen.executed, row.failed == seen.failed
            else { return nil }
            (row.executed, row.failed, row.leaseExpires, row.retryAt) = (nil, nil, nil, nil)
            (row.attempts, row.maxAttempts) = (0, nil)
        case .discard:
            guard view(row).state(at: now.truncatedToMilliseconds) == .deadLetter else { return nil }
            row.discarded = seconds
            settlePublished(id, \.orphan, at: seconds)
        }
        scheduled[id] = row
        return withEvents([row], by: \.scheduled).first
    }

    public func removeScheduledEventsFinished(_ cutoff: Cutoff) throws -> Int {
        try deleteFinished(from: &scheduled, cutoff, id: \.eventID, stamps: [\.success, \.discarded])
    }

    /// Due at `time`: not claimed, not finished, its time and retry time come; or claimed under
    /// a lease that expired below its maximum.
    private func isDue(_ row: StoredScheduled, at time: Date) -> Bool {
        guard row.success == nil, row.failed == nil, row.discarded == nil else { return false }
        guard row.executed != nil else { return max(row.scheduled, row.retryAt ?? row.scheduled) <= time }
        guard let lease = row.leaseExpires, let maxAttempts = row.maxAttempts else { return false }
        return lease <= time && row.attempts < maxAttempts
    }

    /// Whether the event's published delivery was claimed by a published claim (not by its run).
    private func isClaimedByPublished(_ eventID: String) -> Bool {
        guard let delivery = published[eventID], delivery.consumedHub != nil else { return false }
        return !heldBySchedule.contains(eventID)
    }

    /// The run's claim takes the published delivery's hub claim, when nobody holds it.
    private func holdPublished(_ eventID: String, at time: Date) {
        guard published[eventID] != nil, published[eventID]?.consumedHub == nil else { return }
        published[eventID]?.consumedHub = time
        heldBySchedule.insert(eventID)
    }

    /// Stamps the published delivery held by the run, once.
    private func settlePublished(_ eventID: String, _ column: WritableKeyPath<EventPublished, Date?>, at time: Date) {
        guard heldBySchedule.contains(eventID), let delivery = published[eventID], delivery[keyPath: column] == nil
        else { return }
        published[eventID]?[keyPath: column] = time
    }

    private func limit(_ cutoff: Cutoff) -> Int { cutoff.limit ?? .max }

    private func view(_ row: StoredScheduled) -> ScheduledEvent {
        ScheduledEvent(
            eventID: row.eventID, domain: "", pid: "", name: "", timestamp: row.timestamp, scheduled: row.scheduled,
            executed: row.executed, success: row.success, failed: row.failed, attempts: row.attempts,
            maxAttempts: row.maxAttempts, leaseExpires: row.leaseExpires, retryAt: row.retryAt,
            discarded: row.discarded)
    }

    /// Schedules with their events' fields, ordered by `time` and then insertion order, as the
    /// server's `ORDER BY <time>, e.seq`.
    private func withEvents(_ rows: [StoredScheduled], by time: (StoredScheduled) -> Date) -> [ScheduledEvent] {
        rows.compactMap { row -> (ScheduledEvent, Date, UInt64)? in
            guard let stored = events[row.eventID] else { return nil }
            let event = stored.event
            var run = view(row)
            (run.domain, run.pid, run.name) = (event.domain, event.pid, event.name)
            return (run, time(row), stored.seq)
        }
        .sorted { ($0.1, $0.2) < ($1.1, $1.2) }
        .map(\.0)
    }
}

extension Date {
    /// This date plus `duration`.
    fileprivate func adding(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }
}

public import EventflowDB
public import Foundation

/// ``/EventflowDB/EventScheduledRepository`` in memory. The executed claim is atomic on the store actor.
extension InMemoryStore: EventScheduledRepository {
    public func persistEventScheduled(_ checked: Validated<NewEventScheduled>) throws -> Bool {
        let new = checked.input
        return try insertRow(of: new.eventID, into: &scheduled, .scheduledEventPersist, "the scheduled event") {
            StoredScheduled(
                eventID: new.eventID, timestamp: clock.now().truncatedToSeconds,
                scheduled: new.scheduled.truncatedToSeconds)
        }
    }

    public func readEventsScheduled(_ cutoff: Cutoff) throws -> [ScheduledEvent] {
        try ensureOpen(.scheduledEventRead)
        let due = (cutoff.time ?? clock.now()).truncatedToMilliseconds
        return Array(
            withEvents(scheduled.values.filter { $0.executed == nil && $0.scheduled <= due }, by: \.scheduled)
                .prefix(cutoff.limit ?? .max))
    }

    public func deleteEventsScheduledFinished(_ cutoff: Cutoff) throws -> Int {
        try ensureOpen(.retentionDelete)
        let before = (cutoff.time ?? clock.now()).truncatedToMilliseconds
        let finished = scheduled.values.filter { row in
            [row.success, row.failed].contains { $0.map { $0 <= before } ?? false }
        }
        let doomed = finished.map(\.eventID).sorted().prefix(cutoff.limit ?? .max)
        for id in doomed { scheduled[id] = nil }
        return doomed.count
    }

    public func readNextScheduledTime() throws -> Date? {
        try ensureOpen(.scheduledEventRead)
        return scheduled.values.filter { $0.executed == nil && events[$0.eventID] != nil }.map(\.scheduled).min()
    }

    public func updateEventScheduledExecuted(eventID: Identifier) throws -> Bool {
        try stamp(eventID, \.executed, code: .scheduledEventUpdateExecuted)
    }

    public func updateEventScheduled(eventID: Identifier, to outcome: ScheduledOutcome) throws -> Bool {
        try stamp(eventID, outcome == .success ? \.success : \.failed, code: outcome.errorCode)
    }

    public func readEventsScheduledUnfinished(_ cutoff: Cutoff) throws -> [ScheduledEvent] {
        try ensureOpen(.scheduledEventRead)
        let before = (cutoff.time ?? clock.now()).truncatedToMilliseconds
        let unfinished = scheduled.values.filter {
            $0.executed.map { $0 <= before } == true && $0.success == nil && $0.failed == nil
        }
        return Array(withEvents(unfinished, by: { $0.executed ?? $0.scheduled }).prefix(cutoff.limit ?? .max))
    }

    /// Sets a stamp once (executed is the claim).
    private func stamp(
        _ eventID: Identifier, _ column: WritableKeyPath<StoredScheduled, Date?>, code: EventflowDBError.Code
    ) throws -> Bool {
        try ensureOpen(code)
        guard let row = scheduled[eventID.value], row[keyPath: column] == nil else { return false }
        scheduled[eventID.value]?[keyPath: column] = clock.now().truncatedToSeconds
        return true
    }

    /// Schedules with their events' fields, ordered by `time` and then insertion order, as the
    /// server's `ORDER BY <time>, e.seq`.
    private func withEvents(_ rows: [StoredScheduled], by time: (StoredScheduled) -> Date) -> [ScheduledEvent] {
        rows.compactMap { row -> (ScheduledEvent, Date, UInt64)? in
            guard let stored = events[row.eventID] else { return nil }
            let event = stored.event
            let view = ScheduledEvent(
                eventID: row.eventID, domain: event.domain, pid: event.pid, name: event.name, timestamp: row.timestamp,
                scheduled: row.scheduled, executed: row.executed, success: row.success, failed: row.failed)
            return (view, time(row), stored.seq)
        }
        .sorted { ($0.1, $0.2) < ($1.1, $1.2) }
        .map(\.0)
    }
}

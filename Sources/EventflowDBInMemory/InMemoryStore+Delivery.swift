import EventflowDB
import Foundation

extension InMemoryStore {
    func persistEventPublished(_ new: NewEventPublished) throws -> Bool {
        try ensureOpen(.eventPublishedPersist)
        if published[new.eventID] != nil { return false }
        guard events[new.eventID] != nil else {
            throw EventflowDBError.foreignKey(
                .eventPublishedPersist, "could not persist event published: no such event", column: "event_id")
        }
        if let hub = new.hub, hubs[hub] == nil {
            throw EventflowDBError.foreignKey(
                .eventPublishedPersist, "could not persist event published: no such hub", column: "hub")
        }
        published[new.eventID] = EventPublished(
            eventID: new.eventID, published: clock.now().truncatedToSeconds, publisher: new.publisher,
            consumer: new.consumer, hub: new.hub)
        return true
    }

    func readEventPublished(eventID: String) throws -> EventPublished {
        try ensureOpen(.eventPublishedRead)
        guard let row = published[eventID] else {
            throw EventflowDBError(.eventPublishedNotFound, "published event not found by event id")
        }
        return row
    }

    func claimByHub(eventID: String, hubID: String) throws -> Bool {
        try ensureOpen(.eventPublishedCreate)
        guard let row = published[eventID], row.consumedHub == nil else { return false }
        guard hubs[hubID] != nil else {
            throw EventflowDBError.foreignKey(
                .eventPublishedCreate, "could not update published event to consumed: no such hub", column: "hub")
        }
        published[eventID]?.hub = hubID
        published[eventID]?.consumedHub = clock.now().truncatedToSeconds
        return true
    }

    func claimBySpoke(eventID: String, spokeID: String) throws -> Bool {
        try ensureOpen(.eventPublishedCreate)
        guard let row = published[eventID], row.consumedSpoke == nil else { return false }
        published[eventID]?.consumer = spokeID
        published[eventID]?.consumedSpoke = clock.now().truncatedToSeconds
        return true
    }

    /// Sets a terminal stamp once.
    func stampPublished(
        eventID: String, _ column: WritableKeyPath<EventPublished, Date?>, code: EventflowDBError.Code
    ) throws -> Bool {
        try ensureOpen(code)
        guard let row = published[eventID], row[keyPath: column] == nil else { return false }
        published[eventID]?[keyPath: column] = clock.now().truncatedToSeconds
        return true
    }

    func readEventsPublishedNotConsumed(publishedBefore: Date, limit: Int) throws -> [EventPublished] {
        try ensureOpen(.eventPublishedRead)
        let now = clock.now().truncatedToMilliseconds
        // Not yet due: scheduled for later and not executed.
        func waitsForSchedule(_ eventID: String) -> Bool {
            guard let schedule = scheduled[eventID] else { return false }
            return schedule.executed == nil && schedule.scheduled > now
        }
        return Array(
            published.values.filter {
                $0.consumedHub == nil && $0.published <= publishedBefore && !waitsForSchedule($0.eventID)
            }
            .sorted { ($0.published, $0.eventID) < ($1.published, $1.eventID) }
            .prefix(limit))
    }

    func readEventsScheduledUnfinished(executedBefore: Date, limit: Int) throws -> [ScheduledEvent] {
        try ensureOpen(.scheduledEventRead)
        return Array(
            scheduled.values
                .filter { $0.executed.map { $0 <= executedBefore } == true && $0.success == nil && $0.failed == nil }
                .compactMap { row -> (ScheduledEvent, UInt64)? in
                    guard let stored = events[row.eventID] else { return nil }
                    return (
                        ScheduledEvent(
                            eventID: row.eventID, domain: stored.event.domain, pid: stored.event.pid,
                            name: stored.event.name,
                            timestamp: row.timestamp, scheduled: row.scheduled, executed: row.executed),
                        stored.seq
                    )
                }
                .sorted { ($0.0.executed!, $0.1) < ($1.0.executed!, $1.1) }
                .prefix(limit)
                .map(\.0))
    }

    func persistEventScheduled(_ new: NewEventScheduled) throws -> Bool {
        try ensureOpen(.scheduledEventPersist)
        if scheduled[new.eventID] != nil { return false }
        guard events[new.eventID] != nil else {
            throw EventflowDBError.foreignKey(
                .scheduledEventPersist, "could not persist the scheduled event: no such event", column: "event_id")
        }
        scheduled[new.eventID] = StoredScheduled(
            eventID: new.eventID, timestamp: clock.now().truncatedToSeconds, scheduled: new.scheduled.truncatedToSeconds
        )
        return true
    }

    func readEventsScheduled(dueBy: Date?) throws -> [ScheduledEvent] {
        try ensureOpen(.scheduledEventRead)
        let limit = (dueBy ?? clock.now()).truncatedToMilliseconds
        return scheduled.values
            .filter { $0.executed == nil && $0.scheduled <= limit }
            .compactMap { row -> (ScheduledEvent, UInt64)? in
                guard let stored = events[row.eventID] else { return nil }
                let event = stored.event
                return (
                    ScheduledEvent(
                        eventID: row.eventID, domain: event.domain, pid: event.pid, name: event.name,
                        timestamp: row.timestamp,
                        scheduled: row.scheduled, executed: row.executed, success: row.success, failed: row.failed),
                    stored.seq
                )
            }
            .sorted { ($0.0.scheduled, $0.1) < ($1.0.scheduled, $1.1) }
            .map(\.0)
    }

    func readNextScheduledTime() throws -> Date? {
        try ensureOpen(.scheduledEventRead)
        return scheduled.values.filter { $0.executed == nil && events[$0.eventID] != nil }.map(\.scheduled).min()
    }

    /// Sets a scheduled event's stamp once (executed is the claim).
    func stampScheduled(
        eventID: String, _ column: WritableKeyPath<StoredScheduled, Date?>, code: EventflowDBError.Code
    ) throws -> Bool {
        try ensureOpen(code)
        guard let row = scheduled[eventID], row[keyPath: column] == nil else { return false }
        scheduled[eventID]?[keyPath: column] = clock.now().truncatedToSeconds
        return true
    }
}

public import EventflowDB
public import Foundation

/// ``/EventflowDB/EventScheduledRepository`` on MariaDB. Marking executed is a claim: one conditional
/// `UPDATE`, won by exactly one caller.
extension MariaDBRepository: EventScheduledRepository {
    public func persistEventScheduled(_ scheduled: Validated<NewEventScheduled>) async throws -> Bool {
        try await context.changesRows(
            .scheduledEventPersist, "could not persist the scheduled event",
            """
            INSERT INTO event_scheduled (event_id, timestamp, scheduled) VALUES (\(scheduled.eventID),
            \(context.now().truncatedToSeconds), \(scheduled.scheduled.truncatedToSeconds))
            ON DUPLICATE KEY UPDATE event_id = event_id
            """)
    }

    public func readEventsScheduled(_ cutoff: Cutoff) async throws -> [ScheduledEvent] {
        let due = ReadBound.clamp(cutoff.time ?? context.now())
        return try await context.fetch(
            .scheduledEventRead, "could not read scheduled events", ScheduledEvent.self,
            """
            SELECT \(unescaped: ScheduledEvent.columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id
            WHERE s.executed IS NULL AND s.scheduled <= \(due) ORDER BY s.scheduled, e.seq LIMIT \(cutoff.limit ?? .max)
            """)
    }

    public func deleteEventsScheduledFinished(_ cutoff: Cutoff) async throws -> Int {
        let before = (cutoff.time ?? context.now()).truncatedToMilliseconds
        return try await context.deleteFinished(
            .retentionDelete, "could not delete finished schedules", table: "event_scheduled",
            finished: RetentionBatch.finishedSchedules(before: before), limit: cutoff.limit)
    }

    public func readNextScheduledTime() async throws -> Date? {
        // idx_executed_scheduled (executed, scheduled) answers this from the index.
        let rows = try await context.run(
            .scheduledEventRead, "could not read the next scheduled time", retry: .read
        ) {
            try await $0.execute("SELECT MIN(scheduled) FROM event_scheduled WHERE executed IS NULL").rows
        }
        return try rows.first?.optionalDate(0)
    }

    public func readEventsScheduledUnfinished(_ cutoff: Cutoff) async throws -> [ScheduledEvent] {
        let executedBefore = cutoff.time ?? context.now()
        return try await context.fetch(
            .scheduledEventRead, "could not read unfinished scheduled events", ScheduledEvent.self,
            """
            SELECT \(unescaped: ScheduledEvent.columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id
            WHERE s.executed <= \(executedBefore.truncatedToMilliseconds) AND s.success IS NULL AND s.failed IS NULL
            ORDER BY s.executed, e.seq LIMIT \(cutoff.limit ?? .max)
            """)
    }

    public func updateEventScheduledExecuted(eventID: Identifier) async throws -> Bool {
        // The claimant is this repository: a retry of the same claim by the same process.
        return try await context.claim(
            .scheduledExecuted, eventID: eventID.value, claimant: "", code: .scheduledEventUpdateExecuted,
            message: "could not update scheduled event to executed")
    }

    public func updateEventScheduled(eventID: Identifier, to outcome: ScheduledOutcome) async throws -> Bool {
        try await context.stampOnce(
            table: "event_scheduled", column: outcome.rawValue, eventID: eventID.value, code: outcome.errorCode)
    }

}

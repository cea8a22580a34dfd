public import EventflowDB
public import Foundation

/// ``EventScheduledRepository`` on MariaDB. Marking executed is a claim: one conditional
/// `UPDATE`, won by exactly one caller.
public struct MariaDBEventScheduledRepository: EventScheduledRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    @discardableResult
    public func persistEventScheduled(_ scheduled: NewEventScheduled) async throws -> Bool {
        try Validator.validate(scheduled)
        let now = context.now().truncatedToSeconds
        let result = try await context.execute(
            .scheduledEventPersist, "could not persist the scheduled event",
            """
            INSERT INTO event_scheduled (event_id, timestamp, scheduled) VALUES (\(scheduled.eventID),
            \(now), \(scheduled.scheduled.truncatedToSeconds))
            ON DUPLICATE KEY UPDATE event_id = event_id
            """)
        return result.affectedRows > 0
    }

    public func readEventsScheduled(dueBy: Date?) async throws -> [ScheduledEvent] {
        if let dueBy { try Validator.date(dueBy, field: "dueBy") }
        let due = ReadBound.clamp(dueBy ?? context.now())
        return try await context.fetch(
            .scheduledEventRead, "could not read scheduled events", ScheduledEvent.self,
            """
            SELECT \(unescaped: ScheduledEvent.columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id
            WHERE s.executed IS NULL AND s.scheduled <= \(due) ORDER BY s.scheduled, e.seq
            """)
    }

    public func readEventsScheduled(dueBy: Date?, limit: Int) async throws -> [ScheduledEvent] {
        if let dueBy { try Validator.date(dueBy, field: "dueBy") }
        try Validator.limit(limit)
        let due = ReadBound.clamp(dueBy ?? context.now())
        return try await context.fetch(
            .scheduledEventRead, "could not read scheduled events", ScheduledEvent.self,
            """
            SELECT \(unescaped: ScheduledEvent.columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id
            WHERE s.executed IS NULL AND s.scheduled <= \(due) ORDER BY s.scheduled, e.seq LIMIT \(limit)
            """)
    }

    public func readNextScheduledTime() async throws -> Date? {
        // idx_executed_scheduled (executed, scheduled) answers this from the index.
        let rows = try await context.run(
            .scheduledEventRead, "could not read the next scheduled time", retry: .idempotent
        ) {
            try await $0.execute("SELECT MIN(scheduled) FROM event_scheduled WHERE executed IS NULL").rows
        }
        return try rows.first?.optionalDate(0)
    }

    public func readEventsScheduledUnfinished(executedBefore: Date, limit: Int) async throws -> [ScheduledEvent] {
        try Validator.date(executedBefore, field: "executedBefore")
        try Validator.limit(limit)
        return try await context.fetch(
            .scheduledEventRead, "could not read unfinished scheduled events", ScheduledEvent.self,
            """
            SELECT \(unescaped: ScheduledEvent.columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id
            WHERE s.executed <= \(executedBefore.truncatedToMilliseconds) AND s.success IS NULL AND s.failed IS NULL
            ORDER BY s.executed, e.seq LIMIT \(limit)
            """)
    }

    public func updateEventScheduledExecuted(eventID: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        // The claimant is this repository: a retry of the same claim by the same process.
        return try await context.claim(
            .scheduledExecuted, eventID: eventID, claimant: "", code: .scheduledEventUpdateExecuted,
            message: "could not update scheduled event to executed")
    }

    @discardableResult
    public func updateEventScheduledSuccess(eventID: String) async throws -> Bool {
        try await stamp(.success, eventID: eventID, code: .scheduledEventUpdateSuccess)
    }

    @discardableResult
    public func updateEventScheduledFailed(eventID: String) async throws -> Bool {
        try await stamp(.failed, eventID: eventID, code: .scheduledEventUpdateFailed)
    }

    /// The stamp columns; the SQL names come from this fixed list only.
    private enum Stamp: String {
        case success, failed
    }

    private func stamp(_ column: Stamp, eventID: String, code: EventflowDBError.Code) async throws -> Bool {
        try await context.stampOnce(table: "event_scheduled", column: column.rawValue, eventID: eventID, code: code)
    }
}

import EventflowDB
import Foundation

/// ``EventRepository`` on MariaDB.
public struct MariaDBEventRepository: EventRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    /// Columns of ``Event``, in the order ``decodeEvent(_:)`` reads them.
    static let columns = "e.id, e.timestamp, e.domain, e.rid, e.pid, e.name, e.data"

    static func decodeEvent(_ row: MariaDBRow) throws -> Event {
        Event(
            id: try row.string(0), timestamp: try row.date(1), domain: try row.string(2), rid: try row.optionalString(3),
            pid: try row.string(4), name: try row.string(5), data: try row.json(6))
    }

    public func persistEvent(_ event: NewEvent) async throws -> String {
        let data = try Validator.validate(event)
        let row = Self.row(event, data: data, now: context.now())
        try await context.recoverable(.eventPersist, "could not persist event") { connection, attempt in
            try await Self.insert([row], on: connection, attempt)
        }
        return row.event.id
    }

    /// Rows per multi-row INSERT.
    static let batchSize = 500

    public func persistEvents(_ events: [NewEvent]) async throws -> [String] {
        let data = try events.map { try Validator.validate($0) }
        if events.isEmpty { return [] }
        let now = context.now()
        let rows = zip(events, data).map { Self.row($0, data: $1, now: now) }
        // One statement is atomic on its own (autocommit): a transaction only for several.
        try await context.recoverable(.eventPersist, "could not persist events", transaction: rows.count > Self.batchSize) {
            connection, attempt in
            try await Self.insert(rows, on: connection, attempt)
        }
        return rows.map(\.event.id)
    }

    /// An event as it is stored: its id and timestamp fixed before the first attempt (so every
    /// attempt writes the same row), and its data as the JSON text that is bound.
    struct Row: Sendable {
        var event: Event
        var data: [UInt8]
    }

    static func row(_ event: NewEvent, data: [UInt8], now: Date) -> Row {
        Row(
            event: Event(
                id: event.id ?? EventID.generate(at: now), timestamp: (event.timestamp ?? now).truncatedToMilliseconds,
                domain: event.domain, rid: event.rid, pid: event.pid, name: event.name, data: event.data),
            data: data)
    }

    /// Inserts `rows`, in multi-row statements of at most ``batchSize``.
    ///
    /// After an attempt whose outcome is unknown, the rows are read back by id first: when that
    /// attempt committed them they are not written again, and a duplicate key raised because it
    /// commits meanwhile is settled the same way. Rows found with other content are a duplicate.
    static func insert(_ rows: [Row], on connection: MariaDBConnection, _ attempt: MariaDBContext.Attempt) async throws {
        if attempt.afterUnknownOutcome, try await committed(rows, on: connection) { return }
        do {
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                let batch = rows[start..<min(start + batchSize, rows.count)]
                // Only placeholders are added to the SQL, one group per row; every value is bound.
                let groups = Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: batch.count).joined(separator: ", ")
                var parameters: [MariaDBValue] = []
                parameters.reserveCapacity(batch.count * 7)
                for row in batch {
                    let event = row.event
                    parameters += [
                        .string(event.id), .datetime(event.timestamp), .string(event.domain), .optional(event.rid),
                        .string(event.pid), .string(event.name), .string(String(decoding: row.data, as: UTF8.self)),
                    ]
                }
                _ = try await connection.execute("INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES " + groups, parameters)
            }
        } catch let error as DatabaseError where error.kind == .duplicateKey && attempt.afterUnknownOutcome {
            guard try await committed(rows, on: connection) else { throw error }
        }
    }

    /// Whether every row is stored as given (true), none is (false); anything else is a duplicate.
    /// A locking read: it waits for a transaction still writing these rows and sees the newest
    /// committed state even inside a transaction whose snapshot is older.
    static func committed(_ rows: [Row], on connection: MariaDBConnection) async throws -> Bool {
        var stored: [String: Event] = [:]
        for start in stride(from: 0, to: rows.count, by: batchSize) {
            let ids = rows[start..<min(start + batchSize, rows.count)].map { MariaDBValue.string($0.event.id) }
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let result = try await connection.execute("SELECT " + columns + " FROM event e WHERE e.id IN (" + placeholders + ") LOCK IN SHARE MODE", ids)
            for row in result.rows {
                let event = try decodeEvent(row)
                stored[event.id] = event
            }
        }
        if stored.isEmpty { return false }
        guard stored.count == rows.count, rows.allSatisfy({ stored[$0.event.id] == $0.event }) else {
            throw DatabaseError(kind: .duplicateKey, number: 1062, sqlState: "23000", message: "an event with one of these ids holds other content")
        }
        return true
    }

    public func readEvent(id: String) async throws -> Event {
        try Validator.identifier(id, field: "id")
        let events = try await context.read(
            .eventRead, "could not read event by id", "SELECT " + Self.columns + " FROM event e WHERE e.id = ?", [.string(id)],
            Self.decodeEvent)
        guard let event = events.first else { throw EventflowDBError(.eventNotFound, "event not found by id") }
        return event
    }

    public func readEvents(domain: String, pid: String) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        return try await context.read(
            .eventReadByPid, "could not read events by pid and domain",
            "SELECT " + Self.columns + " FROM event e WHERE e.domain = ? AND e.pid = ? ORDER BY e.timestamp, e.seq",
            [.string(domain), .string(pid)], Self.decodeEvent)
    }

    public func readEvents(domain: String, pid: String, from: Date, to: Date) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        return try await context.read(
            .eventReadByPidBetweenTimestamps, "could not read events by pid and domain between timestamps",
            "SELECT " + Self.columns + " FROM event e WHERE e.domain = ? AND e.pid = ? AND e.timestamp BETWEEN ? AND ? ORDER BY e.timestamp, e.seq",
            [.string(domain), .string(pid), .datetime(ReadBound.clamp(from)), .datetime(ReadBound.clamp(to))], Self.decodeEvent)
    }

    public func readEvents(domain: String, pid: String, names: [String]) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        for name in names { try Validator.identifier(name, field: "names") }
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        if unique.isEmpty { return [] }
        // Only placeholders are added to the SQL, one per name; the names are bound.
        let placeholders = Array(repeating: "?", count: unique.count).joined(separator: ", ")
        return try await context.read(
            .eventReadByPid, "could not read events by pid, domain and names",
            "SELECT " + Self.columns + " FROM event e WHERE e.domain = ? AND e.pid = ? AND e.name IN (" + placeholders + ") ORDER BY e.timestamp, e.seq",
            [.string(domain), .string(pid)] + unique.map(MariaDBValue.string), Self.decodeEvent)
    }

    public func readDistinctPids(domain: String) async throws -> [String] {
        try Validator.identifier(domain, field: "domain")
        return try await context.read(
            .eventReadDistinctPidByDomain, "could not read distinct pids by domain",
            "SELECT DISTINCT pid FROM event WHERE domain = ? ORDER BY pid", [.string(domain)]
        ) { try $0.string(0) }
    }

    public func deleteEvent(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        let result = try await context.execute(
            .eventDelete, "could not delete event by id", idempotent: true, "DELETE FROM event WHERE id = ?", [.string(id)])
        return result.affectedRows > 0
    }

    public func deleteEvents(domain: String, pid: String) async throws -> Bool {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        let result = try await context.execute(
            .eventDeleteByPid, "could not delete events by pid and domain", idempotent: true,
            "DELETE FROM event WHERE domain = ? AND pid = ?", [.string(domain), .string(pid)])
        return result.affectedRows > 0
    }

    public func persistEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(cpid, field: "cpid")
        // Not INSERT IGNORE: that would also turn a foreign-key failure into a warning.
        let result = try await context.execute(
            .eventCpidPersist, "could not persist the event and cpid association",
            "INSERT INTO event_cpid (event_id, domain, cpid) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE cpid = cpid",
            [.string(eventID), .string(domain), .string(cpid)])
        return result.affectedRows > 0
    }

    public func deleteEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(cpid, field: "cpid")
        let result = try await context.execute(
            .eventCpidDelete, "could not delete the event and cpid association", idempotent: true,
            "DELETE FROM event_cpid WHERE event_id = ? AND domain = ? AND cpid = ?", [.string(eventID), .string(domain), .string(cpid)])
        return result.affectedRows > 0
    }

    public func readEventCpids(eventID: String) async throws -> [EventCpid] {
        try Validator.identifier(eventID, field: "eventID")
        return try await context.read(
            .eventCpidReadByEventID, "could not read cpids by event id",
            "SELECT domain, cpid FROM event_cpid WHERE event_id = ? ORDER BY domain, cpid", [.string(eventID)]
        ) { EventCpid(domain: try $0.string(0), cpid: try $0.string(1)) }
    }

    public func readEvents(domain: String, cpid: String) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(cpid, field: "cpid")
        return try await context.read(
            .eventByDomainAndCpidRead, "could not read events by domain and cpid",
            "SELECT " + Self.columns + " FROM event_cpid c JOIN event e ON e.id = c.event_id WHERE c.domain = ? AND c.cpid = ? ORDER BY e.timestamp, e.seq",
            [.string(domain), .string(cpid)], Self.decodeEvent)
    }

    public func persistEventEid(eventID: String, eid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(eid, field: "eid")
        let result = try await context.execute(
            .eventEidPersist, "could not persist the event and eid association",
            "INSERT INTO event_eid (event_id, eid) VALUES (?, ?) ON DUPLICATE KEY UPDATE eid = eid", [.string(eventID), .string(eid)])
        return result.affectedRows > 0
    }

    public func deleteEventEid(eventID: String, eid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(eid, field: "eid")
        let result = try await context.execute(
            .eventEidDelete, "could not delete the event and eid association", idempotent: true,
            "DELETE FROM event_eid WHERE event_id = ? AND eid = ?", [.string(eventID), .string(eid)])
        return result.affectedRows > 0
    }

    public func readEventEids(eventID: String) async throws -> [String] {
        try Validator.identifier(eventID, field: "eventID")
        return try await context.read(
            .eventEidReadByEventID, "could not read eids by event id",
            "SELECT eid FROM event_eid WHERE event_id = ? ORDER BY eid", [.string(eventID)]
        ) { try $0.string(0) }
    }

    public func readEvents(eid: String) async throws -> [Event] {
        try Validator.identifier(eid, field: "eid")
        return try await context.read(
            .eventsReadByEid, "could not read events by eid",
            "SELECT " + Self.columns + " FROM event_eid x JOIN event e ON e.id = x.event_id WHERE x.eid = ? ORDER BY e.timestamp, e.seq",
            [.string(eid)], Self.decodeEvent)
    }

    public func readEvents(domain: String, eid: String) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(eid, field: "eid")
        return try await context.read(
            .eventsReadByDomainAndEid, "could not read events by domain and eid",
            "SELECT " + Self.columns + " FROM event_eid x JOIN event e ON e.id = x.event_id WHERE x.eid = ? AND e.domain = ? ORDER BY e.timestamp, e.seq",
            [.string(eid), .string(domain)], Self.decodeEvent)
    }
}

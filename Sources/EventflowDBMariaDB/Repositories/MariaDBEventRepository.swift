public import EventflowDB
import Foundation

/// ``/EventflowDB/EventRepository`` on MariaDB.
extension MariaDBRepository: EventRepository {
    /// Rows per array-bound INSERT.
    static let batchSize = 500

    public func insertEvents(_ events: [Validated<NewEvent>]) async throws -> [String] {
        if events.isEmpty { return [] }
        let now = context.now()
        let rows = events.map { Self.row($0, now: now) }
        let message = events.count == 1 ? "could not persist event" : "could not persist events"
        return try await write(rows, message).map(\.event.id)
    }

    /// Inserts `rows` (one statement is atomic on its own, in autocommit: a transaction only for
    /// several), recovering a lost reply. Returns the rows written.
    ///
    /// Rows already stored as given (a retry, in this process or another, of a write that
    /// committed) are answered as written, once: a duplicate key is settled by reading the rows
    /// back. A failure carries the rows' ids (``/EventflowDB/EventflowDBError/eventIDs``), so a
    /// caller whose outcome stayed unknown can retry with the ids that were generated.
    private func write(_ rows: [Row], _ message: String) async throws -> [Row] {
        do {
            try await context.run(
                .eventPersist, message, retry: .recoverable, transaction: rows.count > Self.batchSize
            ) { connection, attempt in
                do {
                    try await Self.insert(rows, on: connection, attempt)
                } catch let error as DatabaseError where error.kind == .duplicateKey && !attempt.afterUnknownOutcome {
                    guard try await Self.committed(rows, on: connection) else { throw error }
                }
            }
        } catch var error as EventflowDBError {
            error.eventIDs = rows.map(\.event.id)
            throw error
        }
        return rows
    }

    /// An event as it is stored: its id and timestamp fixed before the first attempt (so every
    /// attempt writes the same row), and its data as the JSON text that is bound.
    struct Row: Sendable {
        var event: Event
        var data: [UInt8]
        /// Whether the caller gave the timestamp: a retry that left it out matches the stored
        /// event whatever time the first attempt stamped.
        var timestampGiven: Bool

        /// Whether `stored` is this row as written (its position aside).
        func matches(_ stored: Event) -> Bool {
            var stored = stored.content
            if !timestampGiven { stored.timestamp = event.timestamp }
            return stored == event
        }
    }

    static func row(_ event: Validated<NewEvent>, now: Date) -> Row {
        Row(event: event.input.stored(at: now), data: event.json, timestampGiven: event.input.timestamp != nil)
    }

    /// Inserts `rows`, at most ``batchSize`` a statement through MariaDB's array binding.
    ///
    /// After an attempt whose outcome is unknown, the rows are read back by id first: when that
    /// attempt committed them they are not written again, and a duplicate key raised because it
    /// commits meanwhile is settled the same way. Rows found with other content are a duplicate.
    static func insert(_ rows: [Row], on connection: MariaDBConnection, _ attempt: MariaDBContext.Attempt) async throws
    {
        if attempt.afterUnknownOutcome, try await committed(rows, on: connection) { return }
        do {
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                let inserts = rows[start..<min(start + batchSize, rows.count)].map { row -> MariaDBQuery in
                    let e = row.event
                    return """
                        INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES (\(e.id), \
                        \(e.timestamp), \(e.domain), \(e.rid), \(e.pid), \(e.name), \(text: row.data))
                        """
                }
                // Several rows: one statement through array binding, one round trip.
                if inserts.count == 1 {
                    let insert = inserts[0]
                    _ = try await connection.perform { try $0.execute(insert) }
                } else {
                    try await connection.executeBatch(inserts)
                }
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
            let ids = rows[start..<min(start + batchSize, rows.count)].map(\.event.id)
            let found = try await connection.fetch(
                Event.self,
                "SELECT \(unescaped: Event.columns) FROM event e WHERE e.id IN (\(list: ids)) LOCK IN SHARE MODE")
            for event in found { stored[event.id] = event }
        }
        if stored.isEmpty { return false }
        guard stored.count == rows.count, rows.allSatisfy({ row in stored[row.event.id].map(row.matches) ?? false })
        else {
            throw DatabaseError(
                kind: .duplicateKey, number: 1062, sqlState: "23000",
                message: "an event with one of these ids holds other content")
        }
        return true
    }

    /// Reads events with `condition` (on `event e` and the `joins`), oldest first, equal
    /// timestamps in insertion order.
    ///
    /// With a `page`: only its events (after its cursor, within its time window and names), at
    /// most its limit: a keyset page that the `(…, timestamp, seq)` indexes serve.
    private func events(
        _ code: EventflowDBError.Code, _ message: String, joining joins: StaticString = "", where condition: MariaDBQuery,
        page: LogPage? = nil
    ) async throws -> [Event] {
        var condition = condition
        if let page {
            if let after = page.after {
                // (timestamp, seq) > (after), as two ranges an index on (…, timestamp, seq) serves.
                condition.append(
                    """
                     AND (e.timestamp > \(after.timestamp) OR (e.timestamp = \(after.timestamp) \
                    AND e.seq > \(after.position)))
                    """)
            }
            if let from = page.from { condition.append(" AND e.timestamp >= \(ReadBound.clamp(from))") }
            if let to = page.to { condition.append(" AND e.timestamp <= \(ReadBound.clamp(to))") }
            if let names = page.names { condition.append(" AND e.name IN (\(list: names))") }
        }
        let limit: MariaDBQuery = page.map { " LIMIT \($0.limit)" } ?? ""
        return try await context.fetch(
            code, message, Event.self,
            """
            SELECT \(unescaped: Event.columns) FROM \(unescaped: joins)event \
            e WHERE \(condition) ORDER BY e.timestamp, e.seq\(limit)
            """
        )
    }

    public func fetchEvents(_ query: EventQuery) async throws -> [Event] {
        let (code, message) = (query.failureCode, query.failureMessage)
        switch query {
        case .id(let id):
            return try await events(code, message, where: "e.id = \(id)")
        case .log(let domain, let pid):
            return try await events(code, message, where: "e.domain = \(domain) AND e.pid = \(pid)")
        case .logBetween(let domain, let pid, let from, let to):
            return try await events(
                code, message,
                where:
                    """
                    e.domain = \(domain) AND e.pid = \(pid) AND e.timestamp \
                    BETWEEN \(ReadBound.clamp(from)) AND \(ReadBound.clamp(to))
                    """)
        case .logNamed(let domain, let pid, let names):
            var seen = Set<String>()
            let unique = names.filter { seen.insert($0.value).inserted }
            return try await events(
                code, message, where: "e.domain = \(domain) AND e.pid = \(pid) AND e.name IN (\(list: unique))")
        case .logPage(let domain, let pid, let page):
            return try await events(code, message, where: "e.domain = \(domain) AND e.pid = \(pid)", page: page)
        case .cpid(let domain, let cpid, let page):
            return try await events(
                code, message, joining: "event_cpid c JOIN ",
                where: "e.id = c.event_id AND c.domain = \(domain) AND c.cpid = \(cpid)", page: page)
        case .eid(let eid, let domain, let page):
            var condition: MariaDBQuery = "e.id = x.event_id AND x.eid = \(eid)"
            if let domain { condition.append(" AND e.domain = \(domain)") }
            return try await events(code, message, joining: "event_eid x JOIN ", where: condition, page: page)
        case .domain(let domain, let page):
            return try await context.fetch(
                code, message, Event.self,
                """
                SELECT \(unescaped: Event.columns) FROM event e
                WHERE e.domain = \(domain) AND e.seq > \(page.after) ORDER BY e.seq LIMIT \(page.limit)
                """)
        }
    }

    public func fetchDistinctPids(domain: Identifier) async throws -> [String] {
        try await context.fetchStrings(
            .eventReadDistinctPidByDomain, "could not read distinct pids by domain",
            "SELECT DISTINCT pid FROM event WHERE domain = \(domain) ORDER BY pid")
    }

    public func removeEvents(_ selection: EventSelection) async throws -> Bool {
        let (message, delete): (String, MariaDBQuery) =
            switch selection {
            case .id(let id): ("could not delete event by id", "DELETE FROM event WHERE id = \(id)")
            case .log(let domain, let pid):
                (
                    "could not delete events by pid and domain",
                    "DELETE FROM event WHERE domain = \(domain) AND pid = \(pid)"
                )
            }
        return try await context.changesRows(selection.failureCode, message, retry: .idempotent, delete)
    }

    public func insertAssociation(_ association: EventAssociation) async throws -> Bool {
        // Not INSERT IGNORE: that would also turn a foreign-key failure into a warning.
        let (table, insert): (String, MariaDBQuery) =
            switch association {
            case .cpid(let eventID, let domain, let cpid):
                (
                    "cpid",
                    """
                    INSERT INTO event_cpid (event_id, domain, cpid) VALUES (\(eventID), \
                    \(domain), \(cpid)) ON DUPLICATE KEY UPDATE cpid = cpid
                    """
                )
            case .eid(let eventID, let eid):
                (
                    "eid",
                    "INSERT INTO event_eid (event_id, eid) VALUES (\(eventID), \(eid)) ON DUPLICATE KEY UPDATE eid = eid"
                )
            }
        return try await context.changesRows(
            association.persistCode, "could not persist the event and \(table) association", insert)
    }

    public func removeAssociation(_ association: EventAssociation) async throws -> Bool {
        let (table, delete): (String, MariaDBQuery) =
            switch association {
            case .cpid(let eventID, let domain, let cpid):
                ("cpid", "DELETE FROM event_cpid WHERE event_id = \(eventID) AND domain = \(domain) AND cpid = \(cpid)")
            case .eid(let eventID, let eid):
                ("eid", "DELETE FROM event_eid WHERE event_id = \(eventID) AND eid = \(eid)")
            }
        return try await context.changesRows(
            association.deleteCode, "could not delete the event and \(table) association", retry: .idempotent, delete)
    }

    public func fetchCpids(eventID: Identifier) async throws -> [EventCpid] {
        try await context.fetch(
            .eventCpidReadByEventID, "could not read cpids by event id", EventCpid.self,
            "SELECT \(unescaped: EventCpid.columns) FROM event_cpid WHERE event_id = \(eventID) ORDER BY domain, cpid")
    }

    public func fetchEids(eventID: Identifier) async throws -> [String] {
        try await context.fetchStrings(
            .eventEidReadByEventID, "could not read eids by event id",
            "SELECT eid FROM event_eid WHERE event_id = \(eventID) ORDER BY eid")
    }
}

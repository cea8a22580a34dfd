public import EventflowDB

// Each model's column list beside its decoder. The `e.` and `s.` prefixes are the aliases the
// repositories give `event` and `event_scheduled` in their queries.

extension Event: MariaDBRowDecodable {
    public static let columns = "e.id, e.timestamp, e.domain, e.rid, e.pid, e.name, e.data, e.seq"

    public init(row: MariaDBRow) throws {
        self.init(
            id: try row.string(0), timestamp: try row.date(1), domain: try row.string(2),
            rid: try row.optionalString(3),
            pid: try row.string(4), name: try row.string(5), data: try row.json(6),
            position: UInt64(try row.int(7)))
    }
}

extension EventCpid: MariaDBRowDecodable {
    public static let columns = "domain, cpid"

    public init(row: MariaDBRow) throws {
        self.init(domain: try row.string(0), cpid: try row.string(1))
    }
}

extension EventPublished: MariaDBRowDecodable {
    public static let columns =
        "event_id, published, publisher, consumer, hub, consumed_hub, consumed_spoke, success, failed, orphan, attempts"

    public init(row: MariaDBRow) throws {
        self.init(
            eventID: try row.string(0), published: try row.date(1), publisher: try row.string(2),
            consumer: try row.optionalString(3), hub: try row.optionalString(4), consumedHub: try row.optionalDate(5),
            consumedSpoke: try row.optionalDate(6), success: try row.optionalDate(7), failed: try row.optionalDate(8),
            orphan: try row.optionalDate(9), attempts: try row.int(10))
    }
}

extension ScheduledEvent: MariaDBRowDecodable {
    public static let columns =
        "s.event_id, e.domain, e.pid, e.name, s.timestamp, s.scheduled, s.executed, s.success, s.failed"

    public init(row: MariaDBRow) throws {
        self.init(
            eventID: try row.string(0), domain: try row.string(1), pid: try row.string(2), name: try row.string(3),
            timestamp: try row.date(4), scheduled: try row.date(5), executed: try row.optionalDate(6),
            success: try row.optionalDate(7), failed: try row.optionalDate(8))
    }
}

extension Hub: MariaDBRowDecodable {
    public static let columns = "id, timestamp, external_ip, external_port, internal_ip, internal_port, quit"

    public init(row: MariaDBRow) throws {
        self.init(
            id: try row.string(0), timestamp: try row.date(1), externalIP: try row.string(2),
            externalPort: try row.int(3),
            internalIP: try row.string(4), internalPort: try row.int(5), quit: try row.optionalDate(6))
    }
}

extension Certificate: MariaDBRowDecodable {
    public static let columns =
        "id, validity, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv, pass_salt, pass_tag, revoked"

    public init(row: MariaDBRow) throws {
        self.init(
            id: try row.string(0), validity: try row.date(1), cert: try row.string(2), key: try row.bytes(3),
            keyIV: try row.bytes(4), keySalt: try row.bytes(5), keyTag: try row.bytes(6), pass: try row.bytes(7),
            passIV: try row.bytes(8), passSalt: try row.bytes(9), passTag: try row.bytes(10),
            revoked: try row.optionalDate(11))
    }
}

extension PendingDelivery: MariaDBRowDecodable {
    /// The event's columns, then the delivery's (`event_published p` joined with `event e`).
    public static let columns =
        Event.columns + ", " + EventPublished.columns.split(separator: ", ").map { "p." + $0 }.joined(separator: ", ")

    public init(row: MariaDBRow) throws {
        let eventColumns = Event.columns.split(separator: ",").count
        self.init(event: try Event(row: row), delivery: try EventPublished(row: row.dropping(first: eventColumns)))
    }
}

extension LogEntry: MariaDBRowDecodable {
    public static let columns = "timestamp, agent, message, error, id"

    public init(row: MariaDBRow) throws {
        self.init(
            timestamp: try row.date(0), agent: try row.string(1), message: try row.string(2), error: try row.json(3),
            position: UInt64(try row.int(4)))
    }
}

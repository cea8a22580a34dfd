public import EventflowDB

// Each model's column list beside its decoder, which reads them by name in the list's order (the
// reader checks each is read exactly once). The `e.` and `s.` prefixes are the aliases the
// repositories give `event` and `event_scheduled` in their queries.

extension Event: MariaDBRowDecodable {
    public static let columns =
        MariaDBColumns(["id", "timestamp", "domain", "rid", "pid", "name", "data", "seq"]).qualified(by: "e")

    public init(row: MariaDBRowReader) throws {
        self.init(
            id: try row.string("id"), timestamp: try row.date("timestamp"), domain: try row.string("domain"),
            rid: try row.optionalString("rid"),
            pid: try row.string("pid"), name: try row.string("name"), data: try row.json("data"),
            position: UInt64(try row.int("seq")))
    }
}

extension EventCpid: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = ["domain", "cpid"]

    public init(row: MariaDBRowReader) throws {
        self.init(domain: try row.string("domain"), cpid: try row.string("cpid"))
    }
}

extension EventPublished: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = [
        "event_id", "published", "publisher", "consumer", "hub", "consumed_hub", "consumed_spoke", "success",
        "failed", "orphan", "attempts", "lease_until", "retry_at",
    ]

    public init(row: MariaDBRowReader) throws {
        self.init(
            eventID: try row.string("event_id"), published: try row.date("published"),
            publisher: try row.string("publisher"), consumer: try row.optionalString("consumer"),
            hub: try row.optionalString("hub"), consumedHub: try row.optionalDate("consumed_hub"),
            consumedSpoke: try row.optionalDate("consumed_spoke"), success: try row.optionalDate("success"),
            failed: try row.optionalDate("failed"), orphan: try row.optionalDate("orphan"),
            attempts: try row.int("attempts"), leaseUntil: try row.optionalDate("lease_until"),
            retryAt: try row.optionalDate("retry_at"))
    }
}

extension ScheduledEvent: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = [
        "s.event_id", "e.domain", "e.pid", "e.name", "s.timestamp", "s.scheduled", "s.executed", "s.success",
        "s.failed", "s.attempts", "s.max_attempts", "s.lease_expires", "s.retry_at", "s.discarded",
    ]

    public init(row: MariaDBRowReader) throws {
        self.init(
            eventID: try row.string("s.event_id"), domain: try row.string("e.domain"), pid: try row.string("e.pid"),
            name: try row.string("e.name"), timestamp: try row.date("s.timestamp"),
            scheduled: try row.date("s.scheduled"), executed: try row.optionalDate("s.executed"),
            success: try row.optionalDate("s.success"), failed: try row.optionalDate("s.failed"),
            attempts: try row.int("s.attempts"),
            maxAttempts: try Self.optionalInt(row.value("s.max_attempts")),
            leaseExpires: try row.optionalDate("s.lease_expires"), retryAt: try row.optionalDate("s.retry_at"),
            discarded: try row.optionalDate("s.discarded"))
    }

    /// An unsigned column that may be NULL.
    private static func optionalInt(_ value: MariaDBValue) -> Int? {
        switch value {
        case .int(let number): Int(exactly: number)
        case .uint(let number): Int(exactly: number)
        default: nil
        }
    }
}

extension Hub: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = [
        "id", "timestamp", "external_ip", "external_port", "internal_ip", "internal_port", "quit", "last_seen",
    ]

    public init(row: MariaDBRowReader) throws {
        self.init(
            id: try row.string("id"), timestamp: try row.date("timestamp"), externalIP: try row.string("external_ip"),
            externalPort: try row.int("external_port"), internalIP: try row.string("internal_ip"),
            internalPort: try row.int("internal_port"), quit: try row.optionalDate("quit"),
            lastSeen: try row.optionalDate("last_seen"))
    }
}

extension Certificate: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = [
        "id", "validity", "cert", "`key`", "key_iv", "key_salt", "key_tag", "pass", "pass_iv", "pass_salt",
        "pass_tag", "revoked",
    ]

    public init(row: MariaDBRowReader) throws {
        self.init(
            id: try row.string("id"), validity: try row.date("validity"), cert: try row.string("cert"),
            key: try row.bytes("`key`"), keyIV: try row.bytes("key_iv"), keySalt: try row.bytes("key_salt"),
            keyTag: try row.bytes("key_tag"), pass: try row.bytes("pass"), passIV: try row.bytes("pass_iv"),
            passSalt: try row.bytes("pass_salt"), passTag: try row.bytes("pass_tag"),
            revoked: try row.optionalDate("revoked"))
    }
}

extension PendingDelivery: MariaDBRowDecodable {
    /// The event's columns, then the delivery's (`event_published p` joined with `event e`).
    public static let columns = Event.columns + EventPublished.columns.qualified(by: "p")

    public init(row: MariaDBRowReader) throws {
        self.init(event: try row.decode(Event.self), delivery: try row.decode(EventPublished.self))
    }
}

extension LogEntry: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = ["timestamp", "agent", "message", "error", "id"]

    public init(row: MariaDBRowReader) throws {
        self.init(
            timestamp: try row.date("timestamp"), agent: try row.string("agent"), message: try row.string("message"),
            error: try row.json("error"), position: UInt64(try row.int("id")))
    }
}

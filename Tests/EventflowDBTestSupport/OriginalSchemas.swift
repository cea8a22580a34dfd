public import EventflowDB
import EventflowDBMigrations

/// The original JavaScript library's schema generations, written from its documented DDL: the
/// seed's v4.1.0 as the seed prints it, and the later changes as SPEC §3 and §8 describe them.
/// Tests create them on databases of either default character set, write rows the original's
/// way, and adopt them.
public enum OriginalSchema: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The seed's v4.1.0: no character set (the server's default), `event_cpid` without domain.
    case v4_1 = "v4.1.0"
    /// `event_cpid.domain` and ascii tables.
    case v4_2 = "v4.2"
    /// And `log.message` in utf8mb4.
    case v4_8 = "v4.8.x"

    public var description: String { rawValue }

    /// The generation EventflowDB's migrator should recognise.
    public var expectedGeneration: SchemaGeneration {
        switch self {
        case .v4_1: .originalV4_1
        case .v4_2: .originalV4_2
        case .v4_8: .originalV4_8
        }
    }

    /// Whether associations carry their own domain.
    public var hasCpidDomain: Bool { self != .v4_1 }

    /// Whether `log.message` holds any Unicode (an ascii column holds only ASCII).
    public func logHoldsUnicode(databaseCharset: String) -> Bool {
        switch self {
        case .v4_1: databaseCharset == "utf8mb4"
        case .v4_2: false
        case .v4_8: true
        }
    }

    /// The CREATE TABLE statements, in an order in which every foreign key finds its table.
    /// (The seed prints `hub` after `event_published`, whose foreign key names it.)
    ///
    /// EventflowDB's baseline migration is the newest original's DDL, table for table; the
    /// earlier generations are it without what they lacked: utf8mb4 log messages (v4.2), and
    /// the ascii character set and the association's domain (v4.1.0, the seed's own text).
    public var statements: [String] {
        MigrationFiles.all[0].statements.map { ddl in
            var ddl = ddl
            if self != .v4_8 {
                ddl = ddl.replacingOccurrences(of: "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ", with: "")
            }
            if self == .v4_1 {
                ddl = ddl.replacingOccurrences(of: "\nDEFAULT CHARACTER SET ascii COLLATE ascii_bin", with: "")
                if ddl.hasPrefix("CREATE TABLE IF NOT EXISTS event_cpid") { ddl = Self.seedCpidTable }
            }
            return ddl
        }
    }

    /// The original's insert of a cpid association in this generation.
    public var cpidInsert: String {
        hasCpidDomain
            ? "INSERT INTO event_cpid (event_id, domain, cpid) VALUES (?, ?, ?)"
            : "INSERT INTO event_cpid (event_id, cpid) VALUES (?, ?)"
    }

    /// The original's other inserts, the same in every generation.
    public static let eventInsert =
        "INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES (?, ?, ?, ?, ?, ?, ?)"
    public static let eidInsert = "INSERT INTO event_eid (event_id, eid) VALUES (?, ?)"
    public static let publishedInsert = "INSERT INTO event_published (event_id, publisher) VALUES (?, ?)"
    public static let scheduledInsert = "INSERT INTO event_scheduled (event_id, scheduled) VALUES (?, ?)"
    public static let hubInsert =
        "INSERT INTO hub (id, external_ip, external_port, internal_ip, internal_port) VALUES (?, ?, ?, ?, ?)"
    public static let logInsert = "INSERT INTO log (agent, message, error) VALUES (?, ?, ?)"
    public static let certificateInsert = """
        INSERT INTO certificate (id, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv, pass_salt, pass_tag, validity)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Every table and the columns the original has, for checksums of what it stored.
    public static let originalColumns: [(table: String, columns: [String])] = [
        (
            "certificate",
            [
                "created", "updated", "version", "id", "cert", "`key`", "key_iv", "key_salt", "key_tag", "pass",
                "pass_iv", "pass_salt", "pass_tag", "validity", "revoked",
            ]
        ),
        ("hub", ["id", "timestamp", "external_ip", "external_port", "internal_ip", "internal_port", "quit"]),
        ("event", ["id", "timestamp", "domain", "rid", "pid", "name", "data"]),
        ("event_cpid", ["event_id", "cpid"]),
        ("event_eid", ["event_id", "eid"]),
        (
            "event_published",
            [
                "event_id", "published", "publisher", "consumer", "hub", "consumed_hub", "consumed_spoke", "success",
                "failed", "orphan",
            ]
        ),
        ("event_scheduled", ["event_id", "timestamp", "scheduled", "executed", "success", "failed"]),
        ("log", ["timestamp", "agent", "message", "error"]),
    ]

    /// The seed's v4.1.0 association table, as it prints it: no domain.
    private static let seedCpidTable = """
        CREATE TABLE IF NOT EXISTS event_cpid
        (
          event_id  VARCHAR(64) NOT NULL,
          cpid      VARCHAR(64) NOT NULL,

          PRIMARY KEY (event_id, cpid),
          FOREIGN KEY (event_id) REFERENCES event (id)
            ON UPDATE CASCADE
            ON DELETE CASCADE,
          INDEX idx_cpid (cpid)
        )
        ENGINE=InnoDB
        """
}

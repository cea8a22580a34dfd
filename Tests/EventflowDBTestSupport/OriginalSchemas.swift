public import EventflowDB

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
    public var statements: [String] {
        let ascii = "\nENGINE=InnoDB\nDEFAULT CHARACTER SET ascii COLLATE ascii_bin"
        return Self.seedTables.map { name, ddl in
            var ddl = ddl
            if self != .v4_1 {
                ddl = ddl.replacingOccurrences(of: "\nENGINE=InnoDB", with: ascii)
                if name == "event_cpid" { ddl = Self.cpidWithDomain + ascii }
            }
            if self == .v4_8 && name == "log" {
                ddl = ddl.replacingOccurrences(
                    of: "message   TEXT        NOT NULL",
                    with: "message   TEXT        CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL")
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

    private static let cpidWithDomain = """
        CREATE TABLE IF NOT EXISTS event_cpid
        (
          event_id  VARCHAR(64) NOT NULL,
          domain    VARCHAR(64) NOT NULL,
          cpid      VARCHAR(64) NOT NULL,

          PRIMARY KEY (event_id, domain, cpid),
          FOREIGN KEY (event_id) REFERENCES event (id)
            ON UPDATE CASCADE
            ON DELETE CASCADE,
          INDEX idx_domain_cpid (domain, cpid)
        )
        """

    /// The seed's v4.1.0 DDL, as it prints it.
    private static let seedTables: [(String, String)] = [
        (
            "certificate",
            """
            CREATE TABLE IF NOT EXISTS certificate
            (
              created   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              updated   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
              version   INT UNSIGNED  NOT NULL DEFAULT 0,
              id        VARCHAR(64)   NOT NULL,
              cert      TEXT          NOT NULL,
              `key`     BLOB          NOT NULL,
              key_iv    VARBINARY(16) NOT NULL,
              key_salt  VARBINARY(16) NOT NULL,
              key_tag   VARBINARY(16) NOT NULL,
              pass      BLOB          NOT NULL,
              pass_iv   VARBINARY(16) NOT NULL,
              pass_salt VARBINARY(16) NOT NULL,
              pass_tag  VARBINARY(16) NOT NULL,
              validity  DATETIME      NOT NULL,
              revoked   DATETIME          NULL,

              PRIMARY KEY (version, id)
            )
            ENGINE=InnoDB
            PARTITION BY RANGE (version)
            (
              PARTITION p_hot   VALUES LESS THAN (1),
              PARTITION p_cold  VALUES LESS THAN MAXVALUE
            )
            """
        ),
        (
            "hub",
            """
            CREATE TABLE IF NOT EXISTS hub
            (
              id            VARCHAR(64)       NOT NULL,
              timestamp     DATETIME          NOT NULL DEFAULT CURRENT_TIMESTAMP(),
              external_ip   VARCHAR(16)       NOT NULL,
              external_port SMALLINT UNSIGNED NOT NULL,
              internal_ip   VARCHAR(16)       NOT NULL,
              internal_port SMALLINT UNSIGNED NOT NULL,
              quit          DATETIME              NULL,

              PRIMARY KEY (id),
              INDEX idx_timestamp (timestamp),
              INDEX idx_external_ip_port (external_ip, external_port),
              INDEX idx_internal_ip_port (internal_ip, internal_port)
            )
            ENGINE=InnoDB
            """
        ),
        (
            "event",
            """
            CREATE TABLE IF NOT EXISTS event
            (
              id        VARCHAR(64) NOT NULL,
              timestamp DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              domain    VARCHAR(64) NOT NULL,
              rid       VARCHAR(64)     NULL,
              pid       VARCHAR(64) NOT NULL,
              name      VARCHAR(64) NOT NULL,
              data      JSON        NOT NULL,

              PRIMARY KEY (id),
              FOREIGN KEY (rid) REFERENCES event (id) ON DELETE SET NULL,

              INDEX idx_rid         (rid),
              INDEX idx_name        (name, timestamp),
              INDEX idx_domain      (domain, timestamp),
              INDEX idx_domain_pid  (domain, pid, timestamp)
            )
            ENGINE=InnoDB
            """
        ),
        (
            "event_cpid",
            """
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
        ),
        (
            "event_eid",
            """
            CREATE TABLE IF NOT EXISTS event_eid
            (
              event_id  VARCHAR(64) NOT NULL,
              eid       VARCHAR(64) NOT NULL,

              PRIMARY KEY (event_id, eid),
              FOREIGN KEY (event_id) REFERENCES event (id)
                ON UPDATE CASCADE
                ON DELETE CASCADE,
              INDEX idx_eid (eid)
            )
            ENGINE=InnoDB
            """
        ),
        (
            "event_published",
            """
            CREATE TABLE IF NOT EXISTS event_published
            (
              event_id        VARCHAR(64) NOT NULL,
              published       DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP(),
              publisher       VARCHAR(64) NOT NULL,
              consumer        VARCHAR(64)     NULL,
              hub             VARCHAR(64)     NULL,
              consumed_hub    DATETIME        NULL,
              consumed_spoke  DATETIME        NULL,
              success         DATETIME        NULL,
              failed          DATETIME        NULL,
              orphan          DATETIME        NULL,

              PRIMARY KEY (event_id),
              FOREIGN KEY (hub)       REFERENCES hub    (id),
              FOREIGN KEY (event_id)  REFERENCES event  (id)
                ON UPDATE CASCADE
                ON DELETE CASCADE,
              INDEX idx_published       (published),
              INDEX idx_consumed_hub    (consumed_hub),
              INDEX idx_consumed_spoke  (consumed_spoke)
            )
            ENGINE=InnoDB
            """
        ),
        (
            "event_scheduled",
            """
            CREATE TABLE IF NOT EXISTS event_scheduled
            (
              event_id    VARCHAR(64) NOT NULL,
              timestamp   DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP(),
              scheduled   DATETIME    NOT NULL,
              executed    DATETIME        NULL,
              success     DATETIME        NULL,
              failed      DATETIME        NULL,

              PRIMARY KEY (event_id),
              FOREIGN KEY (event_id) REFERENCES event (id)
                ON UPDATE CASCADE
                ON DELETE CASCADE,
              INDEX idx_timestamp   (timestamp),
              INDEX idx_scheduled   (scheduled),
              INDEX idx_executed    (executed),
              INDEX idx_success     (success),
              INDEX idx_failed      (failed)
            )
            ENGINE=InnoDB
            """
        ),
        (
            "log",
            """
            CREATE TABLE IF NOT EXISTS log
            (
              timestamp DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              agent     VARCHAR(64) NOT NULL,
              message   TEXT        NOT NULL,
              error     JSON        NOT NULL,
              INDEX idx_timestamp (timestamp),
              INDEX idx_agent (agent)
            )
            ENGINE=InnoDB
            PARTITION BY RANGE (TO_DAYS(timestamp))
            (
              PARTITION p_hot VALUES LESS THAN MAXVALUE
            )
            """
        ),
    ]
}

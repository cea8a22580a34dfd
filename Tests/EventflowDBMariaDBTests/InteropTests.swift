import EventflowDB
import EventflowDBMariaDB
import EventflowDBMigrations
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

@Suite("MariaDB: a database created by the original library", .serialized)
struct InteropTests {
    /// The original library's DDL: our baseline is it plus the character-set clauses, so
    /// removing those gives back exactly what the original runs.
    static let originalDDL: [String] = MigrationFiles.all[0].statements.map { statement in
        statement
            .replacingOccurrences(of: "\nDEFAULT CHARACTER SET ascii COLLATE ascii_bin", with: "")
            .replacingOccurrences(of: "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ", with: "")
    }

    @Test("setupTableSchemas adopts the original's tables and rows, and the repositories read and write them")
    func adoptsOriginalDatabase() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_interop")
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)

        // What the original does: create its tables, then write rows its own way.
        try await pool.withConnection { connection in
            for statement in Self.originalDDL {
                #expect(!statement.contains("ascii"))
                try await connection.query(statement)
            }
            _ = try await connection.execute(
                "INSERT INTO hub (id, external_ip, external_port, internal_ip, internal_port) VALUES (?, ?, ?, ?, ?)",
                [.string("node-hub"), .string("10.0.0.1"), .int(50001), .string("10.0.0.1"), .int(50001)])
            _ = try await connection.execute(
                "INSERT INTO event (id, timestamp, domain, pid, name, data) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .string("lq3k9x2a-0f3kd9s8"), .datetime(Date(timeIntervalSince1970: 1_767_323_045.678)),
                    .string("orders"),
                    .string("order-1"), .string("created"),
                    .string(
                        #"{"placed":{"$type":"Date","$value":"2026-01-02T03:04:05.678Z"},"tags":{"$type":"Set","$value":["a","b"]},"qty":3}"#
                    ),
                ])
            _ = try await connection.execute(
                "INSERT INTO event_cpid (event_id, domain, cpid) VALUES (?, ?, ?)",
                [.string("lq3k9x2a-0f3kd9s8"), .string("billing"), .string("inv-1")])
            _ = try await connection.execute(
                "INSERT INTO event_published (event_id, publisher) VALUES (?, ?)",
                [.string("lq3k9x2a-0f3kd9s8"), .string("node-spoke")])
            _ = try await connection.execute(
                "INSERT INTO log (agent, message, error) VALUES (?, ?, ?)",
                [.string("node-hub"), .string("started"), .string("{}")])
        }
        await pool.close()

        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let applied = try await db.setupTableSchemas()
        #expect(
            applied == [
                "baseline", "event_insertion_order", "hub_ip_ipv6", "claim_tokens", "cpid_domain_across_versions",
                "ascii_identifiers", "unicode_text", "domain_position_index", "log_primary_key", "delivery_attempts",
                "stamp_tokens", "delivery_leases", "scheduled_lifecycle", "follow_positions", "consumer_positions",
                "hub_last_seen",
            ])

        // The original's rows read back, tags and all.
        let event = try await db.events.readEvent(id: "lq3k9x2a-0f3kd9s8")
        #expect(event.timestamp == Date(timeIntervalSince1970: 1_767_323_045.678))
        #expect(event.data["placed"]?.dateValue == Date(timeIntervalSince1970: 1_767_323_045.678))
        #expect(event.data["tags"]?.tagged == .set(["a", "b"]))
        #expect(try await db.events.readEvents(domain: "billing", cpid: "inv-1").map(\.id) == ["lq3k9x2a-0f3kd9s8"])
        #expect(try await db.published.readEventPublished(eventID: "lq3k9x2a-0f3kd9s8").publisher == "node-spoke")
        #expect(try await db.hubs.readOnlineHubs().map(\.id) == ["node-hub"])
        #expect(try await db.logs.readLogs(agent: "node-hub", from: nil, to: nil).map(\.message) == ["started"])

        // New writes work next to them, including what the original's schema could not hold.
        let second = try await db.events.persistEvent(
            NewEvent(domain: "orders", pid: "order-1", name: "paid", data: ["qty": 3]))
        #expect(
            try await db.events.readEvents(domain: "orders", pid: "order-1").map(\.id) == ["lq3k9x2a-0f3kd9s8", second])
        #expect(
            try await db.hubs.persistHub(
                NewHub(
                    id: "v6-hub", externalIP: "2001:db8:85a3::8a2e:370:7334", externalPort: 1, internalIP: "::1",
                    internalPort: 2)))
        #expect(
            try await db.published.updateEventPublishedToConsumedByHub(eventID: "lq3k9x2a-0f3kd9s8", hubID: "node-hub"))
        #expect(try await db.logs.archiveLog(before: Date()))
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("many processes setting up the schemas at once: one applies each migration, all succeed")
    func concurrentSetup() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_migrate", poolSize: 1)
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    // Each its own pool, as separate processes would have.
                    let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
                    let names = try await db.setupTableSchemas()
                    try await db.close()
                    return names
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(
            applied.sorted() == [
                "ascii_identifiers", "baseline", "claim_tokens", "consumer_positions", "cpid_domain_across_versions",
                "delivery_attempts", "delivery_leases", "domain_position_index", "event_insertion_order",
                "follow_positions", "hub_ip_ipv6", "hub_last_seen", "log_primary_key", "scheduled_lifecycle",
                "stamp_tokens", "unicode_text",
            ])
        let rows = try await admin("SELECT COUNT(*) FROM `" + configuration.database + "`.eventflow_migration")
        #expect(try rows.rows[0].int(0) == MigrationFiles.all.count)
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("an applied migration whose file changed is refused with a clear error")
    func changedMigrationIsRefused() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_migrate")
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        _ = try await admin(
            "UPDATE `" + configuration.database + "`.eventflow_migration SET checksum = ? WHERE version = ?",
            [.string("0000000000000000"), .int(2)])
        let error = await expectError(.setupTableSchemas) { try await db.setupTableSchemas() }
        #expect(error?.message.contains("V0002__event_insertion_order.sql changed") == true)
        let status = try await db.migrator.status()
        #expect(status.pending.isEmpty && status.applied.count == MigrationFiles.all.count)
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("the schema has every table of the original with ascii_bin, utf8mb4 log messages and IPv6-wide hub columns")
    func schemaShape() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_schema")
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        let tables = try await admin(
            """
            SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES \
            WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME
            """,
            [.string(configuration.database)])
        let byName = Dictionary(uniqueKeysWithValues: try tables.rows.map { (try $0.string(0), try $0.string(1)) })
        for table in [
            "certificate", "event", "event_cpid", "event_eid", "event_published", "event_scheduled", "hub", "log",
        ] {
            #expect(byName[table] == "ascii_bin", "\(table)")
        }
        let columns = try await admin(
            """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME \
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND \
            COLUMN_NAME IN ('message', 'external_ip', 'internal_ip')
            """,
            [.string(configuration.database)])
        let found = try columns.rows.map {
            "\(try $0.string(0)).\(try $0.string(1)) \(try $0.string(2)) \(try $0.optionalString(3) ?? "")"
        }.sorted()
        #expect(
            found == [
                "hub.external_ip varchar(45) ascii", "hub.internal_ip varchar(45) ascii", "log.message text utf8mb4",
            ])
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

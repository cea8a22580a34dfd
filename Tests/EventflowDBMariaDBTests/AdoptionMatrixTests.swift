import EventflowDB
import EventflowDBMariaDB
import EventflowDBMigrations
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// Every schema generation of the original library, made on a latin1-default database and on a
/// utf8mb4 one, filled the original's way, then adopted: nothing lost or rewritten, every row
/// readable, and the original's own inserts still working afterwards.
@Suite("MariaDB: adopting every original generation")
struct AdoptionMatrixTests {
    static let matrix: [(OriginalSchema, String)] = OriginalSchema.allCases.flatMap { schema in
        ["latin1", "utf8mb4"].map { (schema, $0) }
    }

    /// A database of its own whose default character set is `charset`, as a server's default would make it.
    static func database(charset: String) async throws -> MariaDBConfiguration {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_adopt")
        let collation = charset == "latin1" ? "latin1_swedish_ci" : "utf8mb4_general_ci"
        // Names made by the test server helper (letters, digits, underscores) and a fixed list.
        _ = try await TestServer.admin.withConnection {
            try await $0.query(
                "ALTER DATABASE `" + configuration.database + "` CHARACTER SET " + charset + " COLLATE " + collation)
        }
        return configuration
    }

    static let when = Date(timeIntervalSince1970: 1_767_323_045.678)
    static let taggedData =
        #"{"placed":{"$type":"Date","$value":"2026-01-02T03:04:05.678Z"},"tags":{"$type":"Set","$value":["a","b"]},"note":"ünïcødé 😀","qty":3}"#
    static let keyBytes = (0...255).map(UInt8.init)
    static let ivBytes: [UInt8] = [
        0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x00, 0x0A, 0x0D, 0x5C, 0x27, 0x22, 0x00, 0x00, 0xC3, 0xA9,
    ]

    static func logMessage(_ schema: OriginalSchema, charset: String) -> String {
        if schema == .v4_2 { return "started" }  // an ascii column holds nothing else
        if schema == .v4_1 && charset == "latin1" { return "héllo wörld" }
        return "héllo 😀"
    }

    /// Writes rows as the original of `schema` does: its SQL, its values.
    static func writeOriginalRows(
        _ schema: OriginalSchema, charset: String, suffix: String = "", on pool: MariaDBConnectionPool
    ) async throws {
        try await pool.withConnection { connection in
            if suffix.isEmpty {
                _ = try await connection.execute(
                    OriginalSchema.hubInsert,
                    [.string("node-hub"), .string("10.0.0.1"), .int(50001), .string("10.0.0.1"), .int(50002)])
                _ = try await connection.execute(
                    OriginalSchema.certificateInsert,
                    [
                        .string("ROOT"), .string("-----BEGIN CERTIFICATE-----"), .bytes(keyBytes), .bytes(ivBytes),
                        .bytes(ivBytes), .bytes(ivBytes),
                        .bytes(keyBytes.reversed()), .bytes(ivBytes), .bytes(ivBytes), .bytes(ivBytes),
                        .datetime(Date(timeIntervalSinceNow: 86_400).truncatedToSeconds),
                    ])
            }
            // Two events with the same timestamp, and one referring to the first.
            for (id, name, rid) in [("e1", "created", nil), ("e2", "paid", nil), ("e3", "shipped", "e1")]
                as [(String, String, String?)]
            {
                _ = try await connection.execute(
                    OriginalSchema.eventInsert,
                    [
                        .string(id + suffix), .datetime(when), .string("orders"),
                        rid.map { .string($0 + suffix) } ?? .null, .string("order-1" + suffix),
                        .string(name), .string(taggedData),
                    ])
            }
            let cpid: [MariaDBValue] =
                schema.hasCpidDomain
                ? [.string("e1" + suffix), .string("billing"), .string("inv-1" + suffix)]
                : [.string("e1" + suffix), .string("inv-1" + suffix)]
            _ = try await connection.execute(schema.cpidInsert, cpid)
            _ = try await connection.execute(
                OriginalSchema.eidInsert, [.string("e1" + suffix), .string("customer-42")])
            _ = try await connection.execute(
                OriginalSchema.publishedInsert, [.string("e1" + suffix), .string("node-spoke")])
            _ = try await connection.execute(
                OriginalSchema.scheduledInsert,
                [.string("e2" + suffix), .datetime(Date(timeIntervalSinceNow: -60).truncatedToSeconds)])
            _ = try await connection.execute(
                OriginalSchema.logInsert,
                [
                    .string("node-hub"), .string(logMessage(schema, charset: charset) + suffix),
                    .string(#"{"message":"none"}"#),
                ])
        }
    }

    /// Row count and a checksum of every original column of every table, by characters (so a
    /// latin1 'é' converted to utf8mb4 still counts as the same).
    static func fingerprint(on pool: MariaDBConnectionPool) async throws -> [String: [Int]] {
        try await pool.withConnection { connection in
            var result: [String: [Int]] = [:]
            for (table, columns) in OriginalSchema.originalColumns {
                let types = try await connection.execute(
                    """
                    SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS \
                    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
                    """,
                    [.string(table)])
                var type: [String: String] = [:]
                for row in types.rows { type[try row.string(0)] = try row.string(1) }
                let expressions = columns.map { column -> String in
                    switch type[column.replacingOccurrences(of: "`", with: "")] ?? "" {
                    case "varchar", "text", "char", "longtext":
                        "COALESCE(HEX(CONVERT(" + column + " USING utf8mb4)), '~')"
                    case "blob", "varbinary": "COALESCE(HEX(" + column + "), '~')"
                    default: "COALESCE(CAST(" + column + " AS CHAR), '~')"
                    }
                }
                let checksum =
                    "CAST(COALESCE(SUM(CRC32(CONCAT_WS('|', " + expressions.joined(separator: ", ")
                    + "))), 0) AS SIGNED)"
                let row = try await connection.execute(
                    "SELECT COUNT(*), \(unescaped: checksum) FROM \(unescaped: table)"
                ).rows[0]
                result[table] = [try row.int(0), try row.int(1)]
            }
            return result
        }
    }

    @Test(
        "each generation, on a latin1 or utf8mb4 database, is recognised, adopted twice without loss, and read back",
        arguments: matrix)
    func adopt(schema: OriginalSchema, charset: String) async throws {
        let configuration = try await Self.database(charset: charset)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        try await pool.withConnection { connection in
            for statement in schema.statements { try await connection.query(statement) }
        }
        try await Self.writeOriginalRows(schema, charset: charset, on: pool)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let before = try await Self.fingerprint(on: pool)

        #expect(try await db.migrator.status().generation == schema.expectedGeneration)
        let applied = try await db.setupTableSchemas()
        #expect(applied.count == MigrationFiles.all.count)
        #expect(try await db.setupTableSchemas().isEmpty, "a second migrate finds nothing to do")
        #expect(try await Self.fingerprint(on: pool) == before, "no original row was lost or rewritten")
        #expect(try await db.migrator.status().generation.isCurrent)

        // Every row reads back through the repositories.
        let event = try await db.events.readEvent(id: "e1")
        #expect(
            event.timestamp == Self.when && event.data["placed"]?.dateValue == Self.when
                && event.data["note"] == "ünïcødé 😀")
        #expect(try await db.events.readEvents(domain: "orders", pid: "order-1").map(\.id) == ["e1", "e2", "e3"])
        #expect(try await db.events.readEvent(id: "e3").rid == "e1")
        let cpidDomain = schema.hasCpidDomain ? "billing" : "orders"  // v4.1.0 meant the event's domain
        #expect(try await db.events.readEvents(domain: cpidDomain, cpid: "inv-1").map(\.id) == ["e1"])
        #expect(try await db.events.readEventCpids(eventID: "e1") == [EventCpid(domain: cpidDomain, cpid: "inv-1")])
        #expect(try await db.events.readEventEids(eventID: "e1") == ["customer-42"])
        #expect(try await db.published.readEventPublished(eventID: "e1").publisher == "node-spoke")
        #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == ["e2"])
        #expect(try await db.hubs.readOnlineHubs().map(\.id) == ["node-hub"])
        let certificate = try await db.certificates.readCertificate(id: "ROOT")
        #expect(
            certificate.key == Self.keyBytes && certificate.keyIV == Self.ivBytes
                && certificate.pass == Self.keyBytes.reversed())
        let message = Self.logMessage(schema, charset: charset)
        #expect(try await db.logs.readLogs(agent: "node-hub", from: nil, to: nil).map(\.message) == [message])

        // The original of that generation keeps writing, and EventflowDB reads what it wrote.
        try await Self.writeOriginalRows(schema, charset: charset, suffix: "-after", on: pool)
        #expect(try await db.events.readEvents(domain: cpidDomain, cpid: "inv-1-after").map(\.id) == ["e1-after"])
        #expect(
            try await db.events.readEvents(domain: "orders", pid: "order-1-after").map(\.id) == [
                "e1-after", "e2-after", "e3-after",
            ])
        // And the columns now hold what EventflowDB accepts: ids are case-sensitive, log lines any Unicode.
        _ = try await db.events.persistEvent(NewEvent(id: "E1", domain: "orders", pid: "order-1", name: "case"))
        try await db.logs.persistLog(NewLogEntry(agent: "swift-hub", message: "Grüße 😀"))
        #expect(try await db.logs.readLogs(agent: "swift-hub", from: nil, to: nil).map(\.message) == ["Grüße 😀"])

        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test(
        "a database EventflowDB made accepts every generation's inserts, and reads them as that generation meant",
        arguments: OriginalSchema.allCases)
    func freshDatabaseAcceptsOriginalInserts(schema: OriginalSchema) async throws {
        let configuration = try await Self.database(charset: "latin1")
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        try await Self.writeOriginalRows(schema, charset: "utf8mb4", on: pool)
        let cpidDomain = schema.hasCpidDomain ? "billing" : "orders"
        #expect(try await db.events.readEvents(domain: cpidDomain, cpid: "inv-1").map(\.id) == ["e1"])
        #expect(try await db.events.readEvents(domain: "orders", pid: "order-1").map(\.id) == ["e1", "e2", "e3"])
        #expect(try await db.logs.readLogs(agent: "node-hub", from: nil, to: nil).count == 1)
        #expect(try await db.certificates.readCertificate(id: "ROOT").key == Self.keyBytes)
        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test(
        "ids that differ only in case, or hold a byte outside ASCII, stop the migration before it changes anything",
        arguments: [
            ("pid", "order-1", "Order-1", "event.pid"), ("id", "e9", "é9", "event.id"),
        ])
    func refusesDamagingConversion(field: String, existing: String, conflicting: String, column: String) async throws {
        let configuration = try await Self.database(charset: "latin1")
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        try await pool.withConnection { connection in
            for statement in OriginalSchema.v4_1.statements { try await connection.query(statement) }
        }
        try await Self.writeOriginalRows(.v4_1, charset: "latin1", on: pool)
        try await pool.withConnection { connection in
            let id = field == "id" ? conflicting : "e8", pid = field == "pid" ? conflicting : "order-9"
            _ = try await connection.execute(
                OriginalSchema.eventInsert,
                [
                    .string(id), .datetime(Self.when), .string("orders"), .null, .string(pid), .string("n"),
                    .string("{}"),
                ])
        }
        let before = try await Self.fingerprint(on: pool)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)

        let error = await expectError(.setupTableSchemas) { try await db.setupTableSchemas() }
        #expect(error?.message.contains(column) == true, "\(String(describing: error))")
        // The example row's value is for whoever debugs, not for a log: never in the message.
        #expect(error?.message.contains(conflicting) == false, "\(String(describing: error))")
        #expect(error?.description.contains(conflicting) == false)
        #expect(error?.debugDescription.contains(conflicting) == true)
        #expect(try await Self.fingerprint(on: pool) == before)
        #expect(
            try await db.migrator.status().generation == .originalV4_1,
            "nothing was changed, not even EventflowDB's record")

        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

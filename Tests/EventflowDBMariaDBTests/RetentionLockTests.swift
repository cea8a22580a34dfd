import EventflowDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

@testable import EventflowDBMariaDB

/// Retention deletes finished deliveries in batches while hubs claim pending ones: a batch must
/// neither scan nor lock the rows claims need.
@Suite("MariaDB: retention beside claims")
struct RetentionLockTests {
    /// A database with `rows` deliveries `p-001`…, every fifth one (`p-005`, `p-010`, …)
    /// succeeded on 2026-01-01, the others pending; and hub `hub-1`. Returns a pool on it whose
    /// statements may wait long.
    static func seeded(_ configuration: MariaDBConfiguration, rows: Int) async throws -> MariaDBConnectionPool {
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        _ = try await db.hubs.persistHub(
            NewHub(id: "hub-1", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 2))
        try await db.close()
        var patient = configuration
        patient.readTimeout = .seconds(120)
        let pool = MariaDBConnectionPool(configuration: patient, logger: TestServer.logger)
        try await pool.withConnection { connection in
            // Delivery rows only: their events are not needed here.
            try await connection.query("SET SESSION foreign_key_checks = 0")
            try await connection.query(
                """
                INSERT INTO event_published (event_id, published, publisher, success) \
                SELECT CONCAT('p-', LPAD(seq, 3, '0')), '2026-01-01 00:00:00', 'spoke', \
                IF(seq % 5 = 0, '2026-01-01 00:00:01', NULL) FROM seq_1_to_\(rows)
                """)
            try await connection.query("SET SESSION foreign_key_checks = 1")
        }
        return pool
    }

    static let cutoff = Date(timeIntervalSince1970: 1_767_312_000)  // 2026-01-02

    @Test("a retention batch reads its rows in primary-key order up to its limit, and deletes them by primary key")
    func batchPlan() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_retain")
        let pool = try await Self.seeded(configuration, rows: 999)
        let finished = RetentionBatch.finishedDeliveries(before: Self.cutoff)
        try await pool.withConnection { connection in
            try await connection.query("ANALYZE TABLE event_published")
            // EXPLAIN: id, select_type, table, type, possible_keys, key, key_len, ref, rows, Extra.
            func plan(_ query: MariaDBQuery) async throws -> (type: String?, key: String?, rows: Int?, extra: String?) {
                var explain: MariaDBQuery = "EXPLAIN "
                explain.append(query)
                let row = try #require(try await connection.execute(explain).rows.first)
                return (
                    try row.optionalString(3), try row.optionalString(5), try row.optionalString(8).flatMap { Int($0) },
                    try row.optionalString(9)
                )
            }
            let candidates = RetentionBatch.candidates(table: "event_published", finished: finished, limit: 50)
            let read = try await plan(candidates)
            #expect(read.key == "PRIMARY" && read.type == "index", "walks the primary key in order: \(read)")
            #expect(read.extra?.contains("filesort") != true, "stops at its limit, sorts nothing: \(read)")

            let ids = try await connection.execute(candidates).rows.map { try $0.string(0) }
            #expect(ids == (1...50).map { "p-" + String(format: "%03d", $0 * 5) })
            let delete = try await plan(RetentionBatch.delete(table: "event_published", ids: ids, finished: finished))
            #expect(delete.key == "PRIMARY" && delete.type == "range", "finds each row by its key: \(delete)")
            #expect((delete.rows ?? .max) <= ids.count, "touches its rows only: \(delete)")
        }
        await pool.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a hub claims a pending delivery while a retention batch is under way, and the batch then finishes")
    func claimsProceedDuringABatch() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_retain")
        let pool = try await Self.seeded(configuration, rows: 100)
        // Retention waits long for row locks; the hub's claims give up after a second.
        var patient = configuration
        patient.readTimeout = .seconds(60)
        let retention = EventflowDB.mariaDB(configuration: patient, logger: TestServer.logger)
        var hasty = configuration
        hasty.readTimeout = .seconds(2)
        let hub = EventflowDB.mariaDB(configuration: hasty, logger: TestServer.logger)

        let deleted = try await pool.withTransaction { holder in
            // Holds finished p-050 so that the batch stops there, midway, with the locks it took.
            _ = try await holder.execute("SELECT event_id FROM event_published WHERE event_id = 'p-050' FOR UPDATE")
            let batch = Task {
                try await retention.published.deleteEventsPublishedFinished(before: Self.cutoff, limit: 1_000)
            }
            // Until the batch waits for p-050 (a lock wait in this database).
            var waiting = false
            for _ in 0..<600 where !waiting {
                waiting = try await pool.withConnection { connection in
                    try await connection.execute(
                        """
                        SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p \
                        ON p.ID = t.trx_mysql_thread_id WHERE p.DB = \(configuration.database) \
                        AND t.trx_state = 'LOCK WAIT'
                        """
                    ).rows[0].int(0) > 0
                }
                if !waiting { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(waiting, "the retention batch never reached the held row")
            // p-001 comes before the held row: the old batch held it too.
            let claimed = try await hub.published.updateEventPublishedToConsumedByHub(eventID: "p-001", hubID: "hub-1")
            #expect(claimed)
            _ = try await holder.query("ROLLBACK")
            return try await batch.value
        }
        #expect(deleted == 20, "every finished delivery, once the held row was free")
        #expect(try await hub.published.readEventPublished(eventID: "p-001").consumedHub != nil)
        try await retention.close()
        try await hub.close()
        await pool.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

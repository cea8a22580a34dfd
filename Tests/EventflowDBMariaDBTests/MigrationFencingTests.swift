import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Testing

/// On a cluster the migrator holds a lease; a holder whose lease passed to another process
/// (paused past it, its node hung) must not apply or record a migration.
@Suite("Migration fencing")
struct MigrationFencingTests {
    @Test("a migrator whose lease token is stale applies and records nothing and fails with LOCK_LOST")
    func staleTokenAppliesNothing() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_fence", poolSize: 2)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let locks = try #require(db.locks as? MariaDBRepository)
        let migrator = try #require(db.migrator as? MariaDBSchemaMigrator)
        // This process took the migration lease (token 1); then another took it (token 2).
        try await locks.withLease("eventflow_migrate", timeout: .seconds(5)) {}
        // The database's name is one makeDatabase made (letters, digits, underscores).
        try await admin(
            """
            UPDATE `\(configuration.database)`.eventflow_lease SET token = token + 1, owner = x'00', \
            expires = NOW(6) + INTERVAL 1 HOUR WHERE name = 'eventflow_migrate'
            """)

        let error = await #expect(throws: EventflowDBError.self) { try await migrator.setupTableSchemas(fencing: 1) }
        #expect(error?.code == .lockLost)
        #expect(try await migrator.status().applied.isEmpty)
        let tables = try await admin(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'event'",
            [.string(configuration.database)])
        #expect(try tables.rows[0].int(0) == 0, "a migration ran under a stale lease")

        // The current holder's token migrates.
        #expect(try await !migrator.setupTableSchemas(fencing: 2).isEmpty)
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

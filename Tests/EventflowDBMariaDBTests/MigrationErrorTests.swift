import EventflowDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

@testable import EventflowDBMariaDB
@testable import EventflowDBMigrations

/// A migration that fails on the rows it finds reports which migration failed in its message;
/// the server's text, which quotes row values, is only in the error's debug description.
@Suite("MariaDB: migration errors")
struct MigrationErrorTests {
    @Test(
        "a migration statement failing on a row keeps the row's value and the server's text out of message and description"
    )
    func failingStatementKeepsValuesOutOfMessage() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_migerr")
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        let value = "confidential-name-7f3a"
        for _ in 0..<2 { _ = try await db.events.persistEvent(NewEvent(domain: "d", pid: "p", name: value)) }
        // A later migration that the rows break: two events share the name a unique index wants distinct.
        let unique = MigrationFile(
            version: (MigrationFiles.all.map(\.version).max() ?? 0) + 1, name: "unique_event_name",
            bytes: Array("ALTER TABLE event ADD UNIQUE INDEX idx_unique_name (name);\n".utf8))
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let context = MariaDBContext(
            pool: pool, clock: SystemClock(), logger: TestServer.logger, instruments: MariaDBInstruments())
        let migrator = MariaDBSchemaMigrator(context: context, files: MigrationFiles.all + [unique])

        let error = await expectError(.setupTableSchemas) { try await migrator.setupTableSchemas() }
        let serverText = try #require(error?.databaseError?.message)
        #expect(error?.databaseError?.kind == .duplicateKey)
        #expect(serverText.contains(value), "the server's text quotes the row's value")
        for text in [error?.message, error?.description].compactMap(\.self) {
            #expect(!text.contains(value), "\(text)")
            #expect(!text.contains(serverText), "\(text)")
        }
        #expect(error?.message.contains(unique.fileName) == true, "the message names the migration")
        #expect(error?.debugDescription.contains(serverText) == true)

        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

import EventflowDB
import EventflowDBMigrations
import Foundation
import Testing

extension EventflowDBContract {
    static func migratorIdempotent(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            #expect(try await db.setupTableSchemas().isEmpty)
            let status = try await db.migrator.status()
            #expect(status.pending.isEmpty)
            #expect(status.applied.map(\.name) == MigrationFiles.all.map(\.name))
        }
    }

    static func migratorClosed(_ backend: ContractBackend) async throws {
        let database = try await backend.makeDatabase(clock: ManualClock(now: ContractBackend.referenceDate))
        try await database.db.close()
        let error = await expectError(.eventRead) { try await database.db.events.readEvent(id: "x") }
        #expect(error?.isConnectionFailure == true)
        try? await database.teardown()
    }
}

extension EventflowDBContract {
    /// Schema migrations.
    public static let migrator: [ContractCase] = [
        ContractCase(
            "Schema migrations", "setting up the schemas again applies nothing and reports everything applied",
            migratorIdempotent),
        ContractCase("Schema migrations", "operations after close fail with a typed error", migratorClosed),
    ]
}

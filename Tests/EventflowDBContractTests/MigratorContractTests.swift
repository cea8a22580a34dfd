import EventflowDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("Schema migrations")
struct MigratorContractTests {
    @Test("setting up the schemas again applies nothing and reports everything applied", arguments: TestBackend.all)
    func idempotent(backend: TestBackend) async throws {
        try await backend.withDatabase { db, _ in
            #expect(try await db.setupTableSchemas().isEmpty)
            let status = try await db.migrator.status()
            #expect(status.pending.isEmpty)
            #expect(
                status.applied.map(\.name) == [
                    "baseline", "event_insertion_order", "hub_ip_ipv6", "claim_tokens", "cpid_domain_across_versions",
                    "ascii_ids_unicode_text",
                ])
        }
    }

    @Test("operations after close fail with a typed error", arguments: TestBackend.all)
    func closed(backend: TestBackend) async throws {
        let database = try await backend.makeDatabase(clock: ManualClock(now: TestBackend.referenceDate))
        try await database.db.close()
        let error = await expectError(.eventRead) { try await database.db.events.readEvent(id: "x") }
        #expect(error?.isConnectionFailure == true)
        try? await database.teardown()
    }
}

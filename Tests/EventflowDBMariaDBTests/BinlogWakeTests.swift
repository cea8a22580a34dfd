import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// Followers woken by another process's commits through the binary log (issue #23). Each
/// follower polls only every 10 minutes (``WakeProbe``): an event that reaches it within the
/// test's deadline came through the binary log stream.
@Suite("Binary log wake")
struct BinlogWakeTests {
    /// Runs `body` with two pools on one fresh database (as two processes would have), its
    /// schema set up; closes them and drops the database after.
    static func withTwoPools(_ body: (EventflowDB, EventflowDB) async throws -> Void) async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_binlog")
        let first = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let second = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        do {
            try await first.setupTableSchemas()
            try await body(first, second)
        } catch {
            try? await first.close()
            try? await second.close()
            try? await TestServer.dropDatabase(configuration.database)
            throw error
        }
        try await first.close()
        try await second.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a follower in another pool (as in another process) is woken by each commit, not by its poll")
    func wokenAcrossPools() async throws {
        try await Self.withTwoPools { writer, reader in
            let probe = WakeProbe(following: reader, domain: "wake")
            let delays = try await probe.writeAndAwait(writer, domain: "wake", prefix: "w", count: 30)
            await probe.stop()
            #expect(probe.arrivals == (0..<30).map { "w-\($0)" }, "each event once, in order")
            print("binlog wake: 30 commits in another pool, p50 \(delays[15]) max \(delays[29])")
        }
    }

    @Test("a binary log stream whose connection is killed opens again, and followers are woken after it")
    func streamReopensAfterKill() async throws {
        try await Self.withTwoPools { writer, reader in
            let probe = WakeProbe(following: reader, domain: "kill")
            _ = try await probe.writeAndAwait(writer, domain: "kill", prefix: "before", count: 3)

            // Every binary log stream of the server (other tests' too: they open theirs again).
            let killed = try await TestServer.admin.withConnection { connection in
                let ids = try await connection.execute(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'", []
                ).rows.map { try $0.int(0) }
                for id in ids { _ = try? await connection.query("KILL CONNECTION " + String(id)) }
                return ids.count
            }
            #expect(killed >= 1, "the follower's stream was open")
            _ = try await probe.writeAndAwait(writer, domain: "kill", prefix: "after", count: 3)
            await probe.stop()
            #expect(probe.arrivals == (0..<3).map { "before-\($0)" } + (0..<3).map { "after-\($0)" })
        }
    }

    @Test("a hub's delivery loop and due-events sequence in another pool are woken by a publish, not by their waits")
    func deliveriesAndDueEventsWokenAcrossPools() async throws {
        try await Self.withTwoPools { spoke, hub in
            try await spoke.hubs.persistHub(
                NewHub(id: "hub-1", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 1))
            // Waits of 10 minutes: what arrives within the deadline was woken by the publish.
            let delivered = Task {
                for try await delivery in hub.deliveries(
                    hubID: "hub-1", policy: DeliveryPolicy(pollInterval: .seconds(600)))
                {
                    _ = try await delivery.succeed()
                    return delivery.event.id
                }
                return ""
            }
            let due = Task {
                for try await run in hub.scheduled.dueEvents(longestSleep: .seconds(600)) { return run.eventID }
                return ""
            }
            try await Task.sleep(for: .milliseconds(500))  // both are waiting
            let watchdog = Task {
                try await Task.sleep(for: .seconds(30))
                delivered.cancel()
                due.cancel()
            }
            // First a plain publish (the delivery loop ends with it), then a scheduled one, due now.
            let published = try await spoke.publish(
                NewEvent(id: "now", domain: "d", pid: "p", name: "n"), publisher: "spoke")
            let deliveredID = try? await delivered.value
            let scheduled = try await spoke.publish(
                NewEvent(id: "due", domain: "d", pid: "p", name: "n"), publisher: "spoke", scheduled: Date())
            let dueID = try? await due.value
            watchdog.cancel()
            #expect(deliveredID == published, "the delivery loop was woken")
            #expect(dueID == scheduled, "the due-events sequence was woken")
        }
    }
}

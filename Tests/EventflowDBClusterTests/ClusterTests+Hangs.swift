import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// A node that hangs (SIGSTOP: its sockets stay open, nothing answers) under a lock holder, a
/// writer and pools spread over the nodes, then runs on (SIGCONT).
extension ClusterTests {
    @Test(
        "a lock holder whose node is frozen is cancelled with LOCK_LOST before a holder through another node acquires")
    func lockHolderOnFrozenNode() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 2)
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let first = EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: 0), logger: TestServer.logger)
        let second = EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: 1), logger: TestServer.logger)
        // Each process has made the lease table its own before the freeze (DDL waits for every node).
        try await first.locks.withLock("warm-up", timeout: .seconds(10)) {}
        try await second.locks.withLock("warm-up", timeout: .seconds(10)) {}
        let timeline = Timeline()
        let entered = AsyncStream<Void>.makeStream()
        let holding = Task {
            try await first.locks.withLock("frozen", timeout: .seconds(10)) {
                entered.continuation.yield()
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch {
                    timeline.note("cancelled")
                    throw error
                }
            }
        }
        for await _ in entered.stream { break }
        try await Task.sleep(for: .seconds(2))  // renewals through node 1 succeed

        var holderError: (any Error)?
        try await Cluster.whileFrozen(node: 1) {
            timeline.note("frozen")
            let reported = Task { () -> (any Error)? in
                do {
                    try await holding.value
                    return nil
                } catch {
                    timeline.note("failed")
                    return error
                }
            }
            try await second.locks.withLock("frozen", timeout: .seconds(90)) { timeline.note("acquired") }
            holderError = await reported.value
        }
        #expect((holderError as? EventflowDBError)?.code == .lockLost)
        let cancelled = try #require(timeline.seconds("cancelled", after: "frozen"))
        let acquired = try #require(timeline.seconds("acquired", after: "frozen"))
        let failed = try #require(timeline.seconds("failed", after: "frozen"))
        print(
            """
            cluster lock, node 1 frozen (SIGSTOP) under its holder: body cancelled \
            \(String(format: "%.2f", cancelled)) s after the freeze, LOCK_LOST reported at \
            \(String(format: "%.2f", failed)) s; holder through node 2 acquired at \(String(format: "%.2f", acquired)) s
            """)
        #expect(cancelled < acquired, "two holders at once")
        // Within one lease (30 s) of the freeze, whatever the hung renewals do.
        #expect(cancelled < 30)
        try await first.close()
        try await second.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test(
        "a node frozen under a writer and a claim race: no acknowledged write lost, no double claim, no caller stalled past its bound"
    )
    func nodeFrozenUnderLoad() async throws {
        try await Cluster.require()
        var configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 3)
        // Short timeouts, so a hung node costs the test seconds, not minutes.
        configuration.acquireTimeout = .seconds(5)
        configuration.connectTimeout = .seconds(3)
        configuration.readTimeout = .seconds(6)
        // What one call may wait: a connection (acquire), then its statement and one retry on a
        // fresh connection after a lost one.
        let bound = configuration.acquireTimeout + (configuration.connectTimeout + configuration.readTimeout) * 2
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        for index in 0..<4 { try await setup.hubs.persistHub(Cluster.hub(index)) }
        let ids = try await ClusterLoad.seed(setup, count: 600, scheduled: false)
        let hubs = (0..<4).map { _ in EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger) }
        let writerDB = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let writer = ClusterWriter(writerDB)
        async let claims = ClusterLoad.racePublished(hubs, deadline: .now + .seconds(120))
        try await Task.sleep(for: .milliseconds(800))
        try await Cluster.whileFrozen(node: 2) {
            writer.mark(true)
            try await Task.sleep(for: .seconds(12))
            writer.mark(false)
        }
        let won = try await claims
        try await Task.sleep(for: .milliseconds(500))
        await writer.stop()

        // Read back through the node that was frozen.
        let reader = EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: 1), logger: TestServer.logger)
        let lost = await writer.lost(reading: reader)
        let doubles = won.count - Set(won).count
        let stall = writer.longestStall
        let duringFreeze = writer.acknowledgedWhileMarked
        print(
            """
            cluster node freeze (SIGSTOP 12 s): \(writer.acknowledged.all.count) writes acknowledged \
            (\(duringFreeze.value) while frozen), \(lost) lost, \(writer.failures.value) failed; claims \
            \(Set(won).count)/\(ids.count), \(doubles) double; longest stall seen by the writer \(stall) (bound \(bound))
            """)
        #expect(lost == 0, "acknowledged writes lost")
        #expect(doubles == 0, "events claimed by two hubs")
        #expect(stall <= bound, "a caller waited longer than its bound")
        #expect(duringFreeze.value > 0, "the healthy nodes kept taking writes while one was frozen")
        let left = try await setup.published.readEventsPublishedNotConsumed(
            publishedBefore: Date().addingTimeInterval(60), limit: 1_000)
        #expect(Set(won).count + left.count == ids.count, "every event claimed once or still open")
        for hub in hubs { try await hub.close() }
        try await writerDB.close()
        try await reader.close()
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

extension Cluster {
    /// Freezes node `node` (1-based, SIGSTOP) while `body` runs, then lets it run on (SIGCONT),
    /// also when `body` throws, and waits until every node is Synced again.
    static func whileFrozen(node: Int, _ body: () async throws -> Void) async throws {
        try await run("freeze-node", "\(node)")
        let result: Result<Void, any Error>
        do {
            try await body()
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try await run("thaw-node", "\(node)")
        try await run("wait-synced")
        try result.get()
    }
}

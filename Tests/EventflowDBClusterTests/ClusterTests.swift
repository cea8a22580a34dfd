import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Synchronization
import Testing

/// EventflowDB on the 3-node Galera cluster `make cluster` starts: spread connections, exact
/// claims and a lock that excludes across nodes, migrations from several nodes at once, and a
/// node killed with SIGKILL under load, then rejoined.
@Suite("Galera cluster", .serialized)
struct ClusterTests {
    @Test("a pool spreads its connections over the three nodes, and reads on one node see writes made on another")
    func spreadAndReadYourWrites() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 6)
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let names = Tally<String>()
        let gate = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await pool.withConnection { connection in
                        names.add(try await Cluster.nodeName(connection))
                        gate.add(1)
                        // Hold the connection until all six are out, so the pool opens six.
                        while gate.value < 6 { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(Set(names.all).count == 3, "connections per node: \(pool.openConnectionsPerNode)")
        #expect(pool.openConnectionsPerNode == [2, 2, 2])
        await pool.close()

        // Written through node 1, read at once through node 3.
        let writer = EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: 0), logger: TestServer.logger)
        let reader = EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: 2), logger: TestServer.logger)
        try await writer.setupTableSchemas()
        for index in 0..<50 {
            let id = try await writer.events.persistEvent(NewEvent(domain: "ryw", pid: "p", name: "n\(index)"))
            #expect(try await reader.events.readEvent(id: id).name == "n\(index)")
        }
        try await writer.close()
        try await reader.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    /// A publication with a schedule is delivered once: by a published claim or by its run, never
    /// both (the run's claim takes the published claim in the same statement). Eight hubs on three
    /// nodes race both paths at once over the same scheduled publications, beside 2,000 plain ones.
    @Test(
        "8 hubs on different nodes race over 2,000 published and 2,000 scheduled events: each delivered by exactly one claim"
    )
    func claimRaceAcrossNodes() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 4)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        for index in 0..<8 { try await setup.hubs.persistHub(Cluster.hub(index)) }
        let plain = try await ClusterLoad.seed(setup, count: 2_000, scheduled: false, prefix: "plain")
        let timed = try await ClusterLoad.seed(setup, count: 2_000, scheduled: true, prefix: "timed")
        let hubs = (0..<8).map { index in
            var pinned = Cluster.pinned(configuration, to: index)
            pinned.poolSize = 2
            return EventflowDB.mariaDB(configuration: pinned, logger: TestServer.logger)
        }
        async let publishedRace = ClusterLoad.racePublished(hubs, deadline: .now + .seconds(180))
        async let scheduledRace = ClusterLoad.raceScheduled(hubs, deadline: .now + .seconds(180))
        let (published, scheduled) = try await (publishedRace, scheduledRace)
        for hub in hubs { try await hub.close() }

        let doubles = published.count + scheduled.count - Set(published + scheduled).count
        let bothPaths = Set(published).intersection(scheduled)
        print(
            "cluster claim race: \(Set(published).count) by published claims, \(Set(scheduled).count) by runs, "
                + "of \(plain.count + timed.count); \(doubles) double, \(bothPaths.count) by both paths")
        #expect(doubles == 0 && bothPaths.isEmpty, "delivered twice: \(bothPaths.prefix(5))")
        #expect(Set(published + scheduled) == plain.union(timed), "every event delivered")
        #expect(Set(scheduled).isSubset(of: timed))
        #expect(plain.isSubset(of: Set(published)))
        let left = try await setup.published.readEventsPublishedNotConsumed(
            publishedBefore: Date().addingTimeInterval(60), limit: 10)
        #expect(left.isEmpty)
        #expect(try await setup.scheduled.readEventsScheduled(dueBy: Date().addingTimeInterval(60), limit: 10).isEmpty)
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a lock excludes across nodes: holders on three nodes never overlap, and their fencing tokens grow")
    func lockAcrossNodes() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 3)
        let lockers = (0..<3).map {
            EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: $0), logger: TestServer.logger)
        }
        let inside = Counter()
        let overlaps = Counter()
        let tokens = Tally<UInt64>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for locker in lockers {
                group.addTask {
                    for _ in 0..<5 {
                        try await locker.locks.withLock("cluster-lock", timeout: .seconds(60)) {
                            if inside.add(1) > 1 { overlaps.add(1) }
                            tokens.add(LockFencing.token ?? 0)
                            try await Task.sleep(for: .milliseconds(100))
                            inside.add(-1)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        print("cluster lock: 15 holdings on 3 nodes, \(overlaps.value) overlaps, tokens \(tokens.all)")
        #expect(overlaps.value == 0)
        #expect(tokens.all == Array(1...15).map(UInt64.init), "each take increments the token, in holding order")
        for locker in lockers { try await locker.close() }
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("three nodes migrating one database at once apply each migration once")
    func migrationsFromThreeNodes() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 2)
        let migrators = (0..<3).map {
            EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: $0), logger: TestServer.logger)
        }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for migrator in migrators { group.addTask { try await migrator.setupTableSchemas() } }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        let status = try await migrators[2].migrator.status()
        #expect(applied.count == Set(applied).count, "a migration applied twice: \(applied)")
        #expect(status.pending.isEmpty && Set(applied) == Set(status.applied.map(\.name)))
        for migrator in migrators { try await migrator.close() }
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a node killed with SIGKILL under a writer and a claim race: no acknowledged write lost, no double claim")
    func nodeKilledUnderLoad() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 4)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        for index in 0..<8 { try await setup.hubs.persistHub(Cluster.hub(index)) }
        let ids = try await ClusterLoad.seed(setup, count: 1_500, scheduled: false)
        // Every process spreads its connections over all three nodes.
        let hubs = (0..<8).map { _ in
            var perHub = configuration
            perHub.poolSize = 3
            return EventflowDB.mariaDB(configuration: perHub, logger: TestServer.logger)
        }
        let writerDB = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let writer = ClusterWriter(writerDB)
        async let claims = ClusterLoad.racePublished(hubs, deadline: .now + .seconds(240))
        try await Task.sleep(for: .milliseconds(800))
        try await Cluster.run("kill-node", "2")
        try await Task.sleep(for: .seconds(3))
        let rejoin = try await Cluster.run("start-node", "2")
        let won = try await claims
        try await Task.sleep(for: .milliseconds(500))
        await writer.stop()

        // Read back through the node that was killed and rejoined.
        let reader = EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: 1), logger: TestServer.logger)
        let lost = await writer.lost(reading: reader)
        let doubles = won.count - Set(won).count
        let stall = writer.longestStall
        let acknowledged = writer.acknowledged
        print(
            """
            cluster node kill: \(acknowledged.all.count) writes acknowledged, \(lost) lost, \(writer.failures.value) failed \
            (not acknowledged); claims \(Set(won).count)/\(ids.count), \(doubles) double; longest stall seen by \
            the writer \(stall); node 2 rejoined (recover + IST + Synced) in \(rejoin)
            """)
        #expect(lost == 0, "acknowledged writes lost")
        #expect(doubles == 0, "events claimed by two hubs")
        #expect(acknowledged.all.count > 100, "the writer made progress")
        let left = try await setup.published.readEventsPublishedNotConsumed(
            publishedBefore: Date().addingTimeInterval(60), limit: 2_000)
        #expect(Set(won).count + left.count == ids.count, "every event claimed once or still open")
        for hub in hubs { try await hub.close() }
        try await writerDB.close()
        try await reader.close()
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("every table has a primary key and is InnoDB, the log's partitions included")
    func everyTableReplicates() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 2)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        _ = try await db.logs.archiveLog(before: Date())
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let offenders = try await pool.withConnection { connection in
            try await connection.execute(
                """
                SELECT t.TABLE_NAME FROM information_schema.TABLES t \
                WHERE t.TABLE_SCHEMA = \(configuration.database) AND (t.ENGINE <> 'InnoDB' OR NOT EXISTS \
                (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA \
                AND c.TABLE_NAME = t.TABLE_NAME AND c.CONSTRAINT_TYPE = 'PRIMARY KEY'))
                """
            ).rows.map { try $0.string(0) }
        }
        #expect(offenders.isEmpty, "tables Galera cannot replicate safely: \(offenders)")
        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

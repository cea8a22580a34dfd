import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// What every cluster session must do: see the cluster's earlier commits in its writes too, and
/// know it is on a cluster even when its first probe failed.
extension ClusterTests {
    @Test("300 claims through node 2, each right after its publish through node 1: every claim wins")
    func claimRightAfterPublishOnAnotherNode() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 2)
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let publisher = EventflowDB.mariaDB(
            configuration: Cluster.pinned(configuration, to: 0), logger: TestServer.logger)
        let claimer = EventflowDB.mariaDB(
            configuration: Cluster.pinned(configuration, to: 1), logger: TestServer.logger)
        try await publisher.setupTableSchemas()
        try await publisher.hubs.persistHub(Cluster.hub(0))
        var missed = 0
        let started = ContinuousClock.now
        for index in 0..<300 {
            let id = try await publisher.publish(
                NewEvent(id: "at-once-\(index)", domain: "d", pid: "p", name: "n"), publisher: "spoke")
            if try await !claimer.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-0") {
                missed += 1
            }
        }
        print(
            "cluster publish on node 1, claim on node 2: \(missed) of 300 claims missed, \(ContinuousClock.now - started)"
        )
        #expect(missed == 0, "claims that matched no row right after a publish on another node")
        try await publisher.close()
        try await claimer.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a process whose first cluster probe failed still locks with the cluster lease, not a node-local lock")
    func failedProbeIsNotTakenForASingleServer() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 1)
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let proxy = try FaultProxy(targetPort: Cluster.nodes[0].port)
        defer { proxy.close() }
        var proxied = configuration
        proxied.hosts = [MariaDBConfiguration.Host(host: "127.0.0.1", port: proxy.port)]
        proxy.arm(.cut, command: .query, containing: "@@wsrep_on")
        let db = EventflowDB.mariaDB(configuration: proxied, logger: TestServer.logger)
        var held = 0
        for _ in 0..<2 {
            // The call that meets the cut probe may fail; it must not decide the lock's kind.
            if (try? await db.locks.withLock("probe", timeout: .seconds(10)) {}) != nil { held += 1 }
        }
        #expect(proxy.faultsInjected == 1)
        #expect(held >= 1)
        let pool = MariaDBConnectionPool(configuration: Cluster.pinned(configuration, to: 0), logger: TestServer.logger)
        let taken = try? await pool.withConnection { connection in
            try await connection.execute("SELECT token FROM eventflow_lease WHERE name = 'probe'").rows.first?.int(0)
        }
        #expect(taken == held, "every holding took the cluster lease")
        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// Following a domain across the cluster: every node hands out interleaved `seq` values, so
/// paging by them misses more than on one server; the feed's positions are granted to
/// committed rows only, by steps that conflict on the counter row when two nodes run one.
extension ClusterTests {
    @Test("writers on nodes 1 and 2, followers on nodes 2 and 3: every acknowledged event reaches each follower once")
    func followAcrossNodes() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 4)
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let nodes = (0..<3).map {
            EventflowDB.mariaDB(configuration: Cluster.pinned(configuration, to: $0), logger: TestServer.logger)
        }
        try await nodes[0].setupTableSchemas()
        let writerNode = Cluster.pinned(configuration, to: 0)
        let outcome = try await FollowLoad.run(
            writers: [nodes[0], nodes[1]], followers: [nodes[1], nodes[2]],
            holdWrite: { try await TestServer.holdWrite($0, configuration: writerNode, clock: SystemClock()) })
        print(
            """
            cluster follow: writers on nodes 1-2, followers on nodes 2-3: all \(outcome.acknowledged) events \
            once each; paging by position missed \(outcome.missedByPosition)
            """)
        for node in nodes { try await node.close() }
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a follower through node 3 is woken by commits through node 1, by node 3's binary log")
    func wokenAcrossNodes() async throws {
        try await Cluster.require()
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cluster", poolSize: 2)
        try await Cluster.awaitDatabaseOnEveryNode(configuration)
        let writer = EventflowDB.mariaDB(
            configuration: Cluster.pinned(configuration, to: 0), logger: TestServer.logger)
        let reader = EventflowDB.mariaDB(
            configuration: Cluster.pinned(configuration, to: 2), logger: TestServer.logger)
        try await writer.setupTableSchemas()
        let probe = WakeProbe(following: reader, domain: "wake")
        let delays = try await probe.writeAndAwait(writer, domain: "wake", prefix: "w", count: 30)
        await probe.stop()
        #expect(probe.arrivals == (0..<30).map { "w-\($0)" }, "each event once, in order")
        print("cluster binlog wake: 30 commits through node 1, follower on node 3: p50 \(delays[15]) max \(delays[29])")
        try await writer.close()
        try await reader.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

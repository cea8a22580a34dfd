import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Synchronization
import Testing

/// The cluster `make cluster` starts: its three nodes (from `EVENTFLOW_MYSQL_HOSTS`) and the
/// script that kills and restarts them. A test that finds no cluster fails; it is never skipped.
enum Cluster {
    static var nodes: [MariaDBConfiguration.Host] { TestServer.configuration.hosts }

    static var script: String {
        ProcessInfo.processInfo.environment["EVENTFLOW_CLUSTER_SCRIPT"] ?? "scripts/cluster.sh"
    }

    /// Fails the test unless the configuration names three nodes of a running cluster.
    static func require() async throws {
        try #require(nodes.count == 3, "EVENTFLOW_MYSQL_HOSTS must name the 3 nodes `make cluster` starts")
        for node in nodes {
            var single = TestServer.configuration
            single.hosts = [node]
            let connection = try await MariaDBConnection.connect(configuration: single, logger: TestServer.logger)
            let cluster = connection.isClusterNode
            await connection.close()
            try #require(cluster, "\(node) is not a Galera node")
        }
    }

    /// Waits until every node has applied the `CREATE DATABASE` of `configuration` (a node
    /// applies DDL in the cluster's total order, possibly after the node that ran it returned).
    static func awaitDatabaseOnEveryNode(_ configuration: MariaDBConfiguration) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        for index in nodes.indices {
            while true {
                do {
                    let connection = try await MariaDBConnection.connect(
                        configuration: pinned(configuration, to: index), logger: TestServer.logger)
                    await connection.close()
                    break
                } catch {
                    try #require(ContinuousClock.now < deadline, "\(nodes[index]) never showed the database: \(error)")
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    /// `configuration` with its connections on one node only (a process near that node).
    static func pinned(_ configuration: MariaDBConfiguration, to node: Int) -> MariaDBConfiguration {
        var pinned = configuration
        pinned.hosts = [nodes[node % nodes.count]]
        return pinned
    }

    /// Runs `scripts/cluster.sh` with `arguments`; fails the test when it fails.
    @discardableResult
    static func run(_ arguments: String...) async throws -> Duration {
        let started = ContinuousClock.now
        let result = try await CommandRunner.run("/bin/bash", [script] + arguments)
        #expect(result.status == 0, "cluster.sh \(arguments) failed: \(result.standardError)")
        return ContinuousClock.now - started
    }

    /// The node's name (`wsrep_node_name`) a connection is on.
    static func nodeName(_ connection: MariaDBConnection) async throws -> String {
        try await connection.execute("SELECT @@wsrep_node_name").rows[0].string(0)
    }

    static func hub(_ index: Int) -> NewHub {
        NewHub(
            id: "hub-\(index)", externalIP: "10.0.0.\(index)", externalPort: 1, internalIP: "10.0.0.\(index)",
            internalPort: 1)
    }
}

/// A counter shared by concurrent tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    /// Adds `delta`; returns the new value.
    @discardableResult
    func add(_ delta: Int) -> Int {
        count.withLock {
            $0 += delta; return $0
        }
    }
    var value: Int { count.withLock { $0 } }
}

/// Collects values from concurrent tasks.
final class Tally<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func add(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

import EventflowDB
import EventflowDBTestSupport
import Foundation
import Synchronization
import Testing

@testable import EventflowDBMariaDB

/// The pool's choice of nodes, on the single test server: a node that refuses connections is
/// passed over, and connections spread over the nodes that take them.
@Suite("Driver: several nodes")
struct PoolNodesTests {
    @Test("nodes are chosen fewest connections first; a node found down is passed over and its old tickets go stale")
    func nodeBookkeeping() {
        let a = MariaDBConfiguration.Host(host: "a", port: 1)
        let b = MariaDBConfiguration.Host(host: "b", port: 2)
        let nodes = MariaDBNodes([a, b])
        let first = nodes.reserve(excluding: [])!
        let second = nodes.reserve(excluding: [])!
        #expect(first.host == a && second.host == b, "the second connection goes to the emptier node")
        #expect(nodes.openCounts == [1, 1])
        #expect(nodes.markDown(first.ticket))
        #expect(nodes.markDown(first.ticket) == false, "marked once per generation")
        #expect(nodes.isCurrent(first.ticket) == false && nodes.isCurrent(second.ticket))
        // Node a is down: new connections go to b while it lasts, a only when b was tried.
        #expect(nodes.reserve(excluding: [])?.host == b)
        #expect(nodes.reserve(excluding: [1])?.host == a)
        #expect(nodes.reserve(excluding: [0, 1]) == nil)
    }

    @Test("a pool given an unreachable node and the server connects every time, to the server only")
    func unreachableNodeIsPassedOver() async throws {
        var configuration = TestServer.configuration
        // Port 1 refuses at once: a node that is down.
        configuration.hosts = [.init(host: "127.0.0.1", port: 1), configuration.hosts[0]]
        configuration.poolSize = 3
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pool.withConnection { connection in
                        _ = try await connection.execute("SELECT SLEEP(0.2)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.openConnectionsPerNode == [0, 3])
        await pool.close()
    }
}

extension PoolNodesTests {
    @Test(
        "a node that does not have the database yet (a CREATE DATABASE it has not applied) is tried again at once, not passed over"
    )
    func unknownDatabaseIsNotANodeFailure() async throws {
        let lagging = try await ThrowawayServer.start()
        defer { lagging.stop() }
        let current = try await ThrowawayServer.start()
        defer { current.stop() }
        let name = "ef_split_" + UUID().uuidString.prefix(8).lowercased()
        let admin = MariaDBConnectionPool(configuration: current.configuration(), logger: TestServer.logger)
        try await admin.withConnection { _ = try await $0.query("CREATE DATABASE " + name) }
        await admin.close()

        var configuration = current.configuration(poolSize: 3)
        configuration.database = name
        configuration.hosts = [lagging.configuration().hosts[0], current.configuration().hosts[0]]
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let held = HeldCount()
        // Two connections: each tries the lagging node first (fewest), is refused (1049), goes on.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await pool.withConnection { _ in
                        held.count.add(1, ordering: .relaxed)
                        while held.count.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.openConnectionsPerNode == [0, 2])
        // The lagging node catches up; the next new connection goes to it at once. Had the
        // refusal marked it down, it would be passed over for two seconds.
        let laggingAdmin = MariaDBConnectionPool(configuration: lagging.configuration(), logger: TestServer.logger)
        try await laggingAdmin.withConnection { _ = try await $0.query("CREATE DATABASE " + name) }
        await laggingAdmin.close()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pool.withConnection { _ in
                        held.count.add(1, ordering: .relaxed)
                        while held.count.load(ordering: .relaxed) < 5 { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(pool.openConnectionsPerNode == [1, 2])
        await pool.close()
    }
}

/// Statements handed to a connection's thread with a watching caller.
@Suite("Driver: waiting for a statement")
struct StatementWaitTests {
    @Test(
        "a statement handed to the connection's thread returns its result, alone or overlapping; a closed connection refuses"
    )
    func perform() async throws {
        let connection = try await MariaDBConnection.connect(
            configuration: TestServer.configuration, logger: TestServer.logger)
        for index in 0..<50 {  // one at a time: the caller watches
            let rows = try await connection.perform { try $0.execute("SELECT ? + 1", [.int(Int64(index))]) }.rows
            #expect(try rows[0].int(0) == index + 1)
        }
        #expect(connection.recentStatementTime > .zero)
        try await withThrowingTaskGroup(of: Int.self) { group in  // overlapping: callers suspend
            for index in 0..<8 {
                group.addTask {
                    try await connection.perform { try $0.execute("SELECT ?", [.int(Int64(index))]) }.rows[0].int(0)
                }
            }
            let sum = try await group.reduce(0, +)
            #expect(sum == 28)
        }
        await connection.close()
        let refused = await expectDatabaseError(.closed) {
            try await connection.perform { try $0.execute("SELECT 1", []) }
        }
        #expect(refused != nil)
    }
}

/// Connections held at once by a test's tasks.
final class HeldCount: Sendable {
    let count = Atomic<Int>(0)
}

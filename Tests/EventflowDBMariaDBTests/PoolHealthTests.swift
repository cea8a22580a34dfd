import EventflowDB
import EventflowDBTestSupport
import Foundation
import Testing

@testable import EventflowDBMariaDB

/// The pool's idle health check beside a node that hangs (answers nothing, closes nothing).
@Suite("Driver: idle health check")
struct PoolHealthTests {
    @Test(
        "a health check stuck on a hung node's connection leaves the healthy ones lendable, and marks that node down")
    func hungNodeDoesNotStrandCallers() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_health", poolSize: 2)
        let hung = try FaultProxy(targetPort: configuration.port)
        let healthy = try FaultProxy(targetPort: configuration.port)
        var nodes = configuration
        nodes.hosts = [.init(host: "127.0.0.1", port: hung.port), .init(host: "127.0.0.1", port: healthy.port)]
        nodes.readTimeout = .seconds(5)
        nodes.connectTimeout = .seconds(2)
        let pool = MariaDBConnectionPool(configuration: nodes, logger: TestServer.logger)
        // One connection on each node (fewest first), the hung node's first in the idle list.
        let first = try await pool.acquire()
        let second = try await pool.acquire()
        #expect(pool.openConnectionsPerNode == [1, 1])
        await pool.release(first)
        await pool.release(second)

        hung.hang()
        let finished = LockedState(false)
        let check = Task {
            await pool.checkIdleConnections()
            finished.withLock { $0 = true }
        }
        // The check has sent its ping to the hung node and waits for the answer.
        while hung.chunksHeld == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let answer = try await pool.withConnection { try await $0.execute("SELECT 7").rows[0].int(0) }
        #expect(answer == 7)
        #expect(finished.withLock { $0 } == false, "served while the check still waited on the hung node")
        await check.value

        // The hung node's connection was dropped and the node passed over: new connections go
        // to the healthy one.
        #expect(pool.openConnectionsPerNode == [0, 1])
        let third = try await pool.acquire()
        let fourth = try await pool.acquire()
        #expect(pool.openConnectionsPerNode == [0, 2])
        await pool.release(third)
        await pool.release(fourth)
        await pool.close()
        hung.close()
        healthy.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

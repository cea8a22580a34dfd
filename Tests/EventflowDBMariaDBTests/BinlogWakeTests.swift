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
    @Test("a follower in another pool (as in another process) is woken by each commit, not by its poll")
    func wokenAcrossPools() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_binlog")
        let writer = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let reader = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await writer.setupTableSchemas()
        let probe = WakeProbe(following: reader, domain: "wake")
        let delays = try await probe.writeAndAwait(writer, domain: "wake", prefix: "w", count: 30)
        await probe.stop()
        #expect(probe.arrivals == (0..<30).map { "w-\($0)" }, "each event once, in order")
        print("binlog wake: 30 commits in another pool, p50 \(delays[15]) max \(delays[29])")
        try await writer.close()
        try await reader.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a binary log stream whose connection is killed opens again, and followers are woken after it")
    func streamReopensAfterKill() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_binlog")
        let writer = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let reader = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await writer.setupTableSchemas()
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
        try await writer.close()
        try await reader.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// The cluster lease (``MariaDBRepository/withLease``) on the shared single server, with a short
/// lease: a holder whose server stops answering gives the lease up before anyone else can take
/// it, and a cancelled caller keeps its lease while its body still runs.
@Suite("Lease on a hung peer")
struct LeaseHangTests {
    /// A 3 s lease renewed every 300 ms, given up 1 s before its end.
    static let timing = LeaseTiming(ttl: .seconds(3), renewInterval: .milliseconds(300), margin: .seconds(1))
    /// A 6 s lease renewed every 300 ms: renewals on a busy machine keep it.
    static let roomyTiming = LeaseTiming(ttl: .seconds(6), renewInterval: .milliseconds(300), margin: .seconds(1))

    @Test("a holder whose server stops answering is cancelled with LOCK_LOST before another process takes the lease")
    func hungHolderStopsBeforeAnotherTakes() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_lease", poolSize: 2)
        let proxy = try FaultProxy(targetPort: configuration.hosts[0].port)
        var proxied = configuration
        proxied.hosts = [MariaDBConfiguration.Host(host: "127.0.0.1", port: proxy.port)]
        proxied.readTimeout = .seconds(20)
        let holderDB = EventflowDB.mariaDB(configuration: proxied, logger: TestServer.logger)
        let otherDB = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let holder = try #require(holderDB.locks as? MariaDBRepository)
        let other = try #require(otherDB.locks as? MariaDBRepository)
        let timeline = Timeline()
        let entered = AsyncStream<Void>.makeStream()

        let holding = Task {
            try await holder.withLease("hung", timeout: .seconds(10), timing: Self.timing) {
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
        try await Task.sleep(for: .seconds(1))  // a few renewals get through
        // From now on every statement reaches the server but no reply comes back: a hung peer.
        proxy.arm(.blackhole, command: .execute, probability: 1)
        timeline.note("frozen")
        try await other.withLease("hung", timeout: .seconds(30), timing: Self.timing) { timeline.note("acquired") }
        let error = await #expect(throws: EventflowDBError.self) { try await holding.value }
        timeline.note("failed")
        #expect(error?.code == .lockLost)

        let cancelled = try #require(timeline.seconds("cancelled", after: "frozen"))
        let acquired = try #require(timeline.seconds("acquired", after: "frozen"))
        print(
            """
            lease behind a hung connection (3 s lease, 1 s margin): body cancelled \
            \(String(format: "%.2f", cancelled)) s after the freeze, the other process acquired after \
            \(String(format: "%.2f", acquired)) s
            """)
        #expect(cancelled < acquired, "the first holder's body still ran when another process held the lease")
        // The holder gives up within one lease of the freeze, whatever its statements do.
        #expect(cancelled < 3)

        proxy.close()
        try await holderDB.close()
        try await otherDB.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a cancelled caller's lease is still renewed while its body runs on: nobody else takes it")
    func cancelledCallerKeepsRenewing() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_lease", poolSize: 2)
        let holderDB = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let otherDB = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let holder = try #require(holderDB.locks as? MariaDBRepository)
        let other = try #require(otherDB.locks as? MariaDBRepository)
        let entered = AsyncStream<Void>.makeStream()

        let holding = Task {
            try await holder.withLease("kept", timeout: .seconds(10), timing: Self.roomyTiming) {
                entered.continuation.yield()
                await Self.sleepIgnoringCancellation(seconds: 14)  // a body that finishes its work
                return "done"
            }
        }
        for await _ in entered.stream { break }
        holding.cancel()
        // Longer than the lease: without renewals it would expire and be taken meanwhile.
        let error = await #expect(throws: EventflowDBError.self) {
            try await other.withLease("kept", timeout: .seconds(9), timing: Self.roomyTiming) {}
        }
        #expect(error?.code == .lockTimeout)
        #expect(try await holding.value == "done")

        try await holderDB.close()
        try await otherDB.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    /// Waits on a dispatch timer: cancellation does not end it.
    static func sleepIgnoringCancellation(seconds: Double) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
        }
    }
}

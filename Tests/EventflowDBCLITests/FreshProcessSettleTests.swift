import EventflowDB
import EventflowDBTestSupport
import Foundation
import Testing

/// Writes whose reply never came back to a process that was then killed, settled by a fresh
/// process: nothing of the first process's memory is needed, only the ids.
@Suite("Unknown outcomes settled by a fresh process")
struct FreshProcessSettleTests {
    @Test("a publish whose COMMIT reply never came, its process killed: a fresh process's retry answers it once")
    func publishSettled() async throws {
        let fixture = try await CommandFixture.make()
        #expect(try await fixture.run("migrate").status == 0)
        let proxy = try FaultProxy(targetPort: Int(fixture.environment["EVENTFLOW_MYSQL_PORT"]!)!)
        defer { proxy.close() }
        var throughProxy = fixture.environment
        throughProxy["EVENTFLOW_MYSQL_PORT"] = String(proxy.port)
        // The COMMIT reaches the server; its reply never comes back; the spoke is killed waiting.
        proxy.arm(.blackhole, command: .query, containing: "COMMIT")
        let spoke = try CommandRunner.start(
            executable,
            [
                "publish", "--id", "settle-1", "--domain", "orders", "--pid", "o-1", "--name", "placed", "--publisher",
                "spoke",
            ],
            environment: throughProxy)
        try await Self.waitUntil(spoke) { proxy.faultsInjected == 1 }
        try await Self.waitUntil(spoke) {
            try await fixture.withDB { try await $0.events.readEvents(domain: "orders", pid: "o-1").count } == 1
        }
        spoke.kill()
        _ = await spoke.finished()

        // A fresh process, the same publish: answered once.
        let retry = try await fixture.run(
            "publish", "--id", "settle-1", "--domain", "orders", "--pid", "o-1", "--name", "placed", "--publisher",
            "spoke")
        #expect(retry.status == 0, "\(retry.standardError)")
        #expect(retry.standardOutput == "settle-1\n")
        let stored = try await fixture.withDB { try await $0.events.readEvents(domain: "orders", pid: "o-1") }
        #expect(stored.map(\.id) == ["settle-1"])
        let delivery = try await fixture.withDB { try await $0.published.readEventPublished(eventID: "settle-1") }
        #expect(delivery.publisher == "spoke")
        try await fixture.drop()
    }

    @Test(
        "a claim whose reply never came, its hub killed: the hub restarted with its id delivers it, before the lease ends"
    )
    func claimSettled() async throws {
        let fixture = try await CommandFixture.make()
        let id = try await fixture.withDB { db in
            try await db.publish(NewEvent(domain: "orders", pid: "o-2", name: "placed"), publisher: "spoke")
        }
        let proxy = try FaultProxy(targetPort: Int(fixture.environment["EVENTFLOW_MYSQL_PORT"]!)!)
        defer { proxy.close() }
        var throughProxy = fixture.environment
        throughProxy["EVENTFLOW_MYSQL_PORT"] = String(proxy.port)
        // The claim reaches the server and wins: its transaction's COMMIT (the first through the
        // proxy: the command byte, then the text, so `READ COMMITTED` does not match) reaches
        // the server, its reply never comes back; the hub is killed.
        proxy.arm(.blackhole, command: .query, containing: "\u{03}COMMIT")
        let hub = try CommandRunner.start(
            executable, ["deliver", "--hub-id", "hub-a", "--lease", "60"], environment: throughProxy)
        try await Self.waitUntil(hub) {
            try await fixture.withDB { try await $0.published.readClaims(hubID: "hub-a", limit: 10).count } == 1
        }
        hub.kill()
        _ = await hub.finished()
        let held = try await fixture.withDB { try await $0.published.readEventPublished(eventID: id) }
        #expect(held.hub == "hub-a" && held.attempts == 1 && held.success == nil)

        // The hub restarts with its id: it finds the claim it holds and delivers the event now,
        // not after the 60 s lease.
        let started = ContinuousClock.now
        let restarted = try await fixture.run("deliver", "--hub-id", "hub-a", "--lease", "60", "--count", "1")
        #expect(restarted.status == 0, "\(restarted.standardError)")
        #expect(ContinuousClock.now - started < .seconds(30))
        let done = try await fixture.withDB { try await $0.published.readEventPublished(eventID: id) }
        #expect(done.success != nil && done.hub == "hub-a")
        #expect(done.attempts == 2, "the killed process's claim counted, and the restarted one's")
        print("fresh process: \(restarted.standardOutput.split(separator: "\n"))")
        try await fixture.drop()
    }

    /// Waits up to a minute for `condition`, while `process` runs.
    static func waitUntil(_ process: CommandRunner.Running, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                process.kill()
                let result = await process.finished()
                Issue.record("not within a minute: \(result.standardOutput) \(result.standardError)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

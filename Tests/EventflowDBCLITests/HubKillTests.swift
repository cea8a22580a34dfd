import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// A hub process killed mid-delivery, on MariaDB: its lease passes, and another hub process
/// delivers the event, once, with both attempts counted.
@Suite("Hub processes killed mid-delivery")
struct HubKillTests {
    @Test("a hub killed holding a claim: another hub delivers the event exactly once after the lease, attempts 2")
    func killedHubsDeliveryIsTakenOver() async throws {
        let fixture = try await CommandFixture.make()
        let id = try await fixture.withDB { db in
            try await db.publish(NewEvent(domain: "orders", pid: "o-1", name: "placed"), publisher: "spoke")
        }
        let started = ContinuousClock.now
        // Hub A claims it and "delivers" for an hour: killed mid-delivery.
        let hubA = try CommandRunner.start(
            executable, ["deliver", "--hub-id", "hub-a", "--lease", "2", "--work", "3600"],
            environment: fixture.environment)
        try await Self.waitFor("claimed \(id) attempt 1", in: hubA)
        hubA.kill()
        let killed = await hubA.finished()
        #expect(killed.status == 128 + SIGKILL)
        let held = try await fixture.withDB { try await $0.published.readEventPublished(eventID: id) }
        #expect(held.hub == "hub-a" && held.attempts == 1 && held.success == nil && held.leaseUntil != nil)
        #expect(try await fixture.withDB { try await $0.published.readClaims(hubID: "hub-a", limit: 10).count } == 1)

        // Hub B takes it over once the lease passed, delivers it, and stops after one outcome.
        let hubB = try CommandRunner.start(
            executable, ["deliver", "--hub-id", "hub-b", "--lease", "2", "--count", "1"],
            environment: fixture.environment)
        let result = await hubB.finished()
        let tookOver = ContinuousClock.now - started
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines == ["claimed \(id) attempt 2", "delivered \(id) attempt 2"])
        let done = try await fixture.withDB { try await $0.published.readEventPublished(eventID: id) }
        #expect(done.hub == "hub-b" && done.attempts == 2 && done.success != nil && done.failed == nil)
        #expect(done.state(at: Date()) == .succeeded)
        #expect(try await fixture.withDB { try await $0.published.readClaims(hubID: "hub-a", limit: 10) }.isEmpty)
        print("hub kill: hub A killed holding \(id); hub B delivered it (attempt 2) \(tookOver) after A's claim")
        try await fixture.drop()
    }

    /// Waits up to a minute for `line` in what `process` printed so far.
    static func waitFor(_ line: String, in process: CommandRunner.Running) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !process.standardOutputSoFar.split(separator: "\n").contains(Substring(line)) {
            guard ContinuousClock.now < deadline else {
                process.kill()
                let result = await process.finished()
                Issue.record("no '\(line)' within a minute: \(result.standardOutput) \(result.standardError)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

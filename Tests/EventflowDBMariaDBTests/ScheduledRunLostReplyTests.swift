import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// The scheduled-run lifecycle's changes whose reply is lost after the server committed them:
/// each tells its caller what it did, once, and counts nothing twice.
@Suite("MariaDB: scheduled runs, lost replies")
struct ScheduledRunLostReplyTests {
    static let policy = ScheduledRunPolicy(maxAttempts: 2, lease: .seconds(30), backoff: .seconds(60))

    /// A fixture with one due scheduled event, `r1`.
    static func scheduled() async throws -> LostReplyTests.Fixture {
        let fixture = try await LostReplyTests.Fixture.make()
        _ = try await fixture.direct.events.persistEvent(NewEvent(id: "r1", domain: "lost", pid: "p", name: "n"))
        _ = try await fixture.direct.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: "r1", scheduled: Date(timeIntervalSinceNow: -60)))
        return fixture
    }

    @Test("a run's claim whose reply is lost tells its caller it won attempt 1, and counts one attempt")
    func claimReplyLost() async throws {
        let fixture = try await Self.scheduled()
        fixture.proxy.arm(.cut, command: .execute, containing: "r1")
        let run = try await fixture.db.scheduled.claimScheduledRun(eventID: "r1", policy: Self.policy)
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(run?.attempts == 1)
        #expect(try await fixture.direct.scheduled.claimScheduledRun(eventID: "r1", policy: Self.policy) == nil)
        #expect(try await fixture.direct.scheduled.readScheduledRun(eventID: "r1")?.attempts == 1)
        try await fixture.close()
    }

    @Test("a failure and a success whose replies are lost are each reported as made, once")
    func failAndSucceedRepliesLost() async throws {
        let fixture = try await Self.scheduled()
        let first = try #require(try await fixture.db.scheduled.claimScheduledRun(eventID: "r1", policy: Self.policy))
        fixture.proxy.arm(.cut, command: .execute, containing: "r1")
        let retry = try await fixture.db.scheduled.failScheduledRun(
            eventID: "r1", attempt: first.attempts, policy: Self.policy)
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(retry?.retryAt != nil && retry?.failed == nil && retry?.attempts == 1)
        // Due again only after the back-off: a direct claim now is refused.
        #expect(try await fixture.direct.scheduled.claimScheduledRun(eventID: "r1", policy: Self.policy) == nil)
        #expect(try await fixture.direct.scheduled.requeueScheduledDeadLetter(try #require(retry)) == false)
        #expect(try await fixture.direct.scheduled.readScheduledRun(eventID: "r1")?.attempts == 1)

        // The original's claim ignores the retry time: claimed at once (attempt 2), then
        // succeeded through the proxy.
        #expect(try await fixture.direct.scheduled.updateEventScheduledExecuted(eventID: "r1"))
        let held = try #require(try await fixture.direct.scheduled.readScheduledRun(eventID: "r1"))
        fixture.proxy.arm(.cut, command: .execute, containing: "r1")
        #expect(try await fixture.db.scheduled.succeedScheduledRun(eventID: "r1", attempt: held.attempts))
        #expect(fixture.proxy.faultsInjected == 2)
        #expect(try await fixture.direct.scheduled.readScheduledRun(eventID: "r1")?.state(at: Date()) == .succeeded)
        #expect(try await fixture.db.scheduled.succeedScheduledRun(eventID: "r1", attempt: held.attempts) == false)
        try await fixture.close()
    }
}

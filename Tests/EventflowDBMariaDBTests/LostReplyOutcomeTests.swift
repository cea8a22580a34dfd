import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// Lost replies that must be settled exactly, or reported as unknown.
extension LostReplyTests {
    @Test(
        "two callers whose stamps of the same event both lose their reply within one second: exactly one is told it set it",
        arguments: ["published", "scheduled"])
    func stampReplyLostByTwoCallers(table: String) async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        _ = try await fixture.direct.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: "e1", scheduled: Date(timeIntervalSinceNow: -60)))
        // Two processes whose clocks read the same second.
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let callers = (0..<2).map { _ in
            EventflowDB.mariaDB(configuration: fixture.proxied, logger: TestServer.logger, clock: clock)
        }
        var told: [Bool] = []
        for caller in callers {
            // The stamp is forwarded, the reply cut: the caller tries again and reads back.
            fixture.proxy.arm(.cut, command: .execute, containing: "e1")
            told.append(
                table == "published"
                    ? try await caller.published.updateEventPublishedToSuccess(eventID: "e1")
                    : try await caller.scheduled.updateEventScheduledSuccess(eventID: "e1"))
        }
        #expect(fixture.proxy.faultsInjected == 2)
        #expect(told.filter { $0 }.count == 1, "told \(told)")
        for caller in callers { try await caller.close() }
        try await fixture.close()
    }

    @Test("an idempotent write whose every reply is lost fails with an unknown outcome; a read does not")
    func idempotentWriteOutcomeUnknown() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        fixture.proxy.arm(.cut, command: .execute, containing: "e1", times: 10)
        let error = await expectError(.eventDelete) { try await fixture.db.events.deleteEvent(id: "e1") }
        #expect(error?.isOutcomeUnknown == true)
        #expect(error?.isConnectionFailure == true)
        fixture.proxy.disarm()
        await expectError(.eventNotFound) { try await fixture.direct.events.readEvent(id: "e1") }

        try await fixture.published("e2")
        fixture.proxy.arm(.cut, command: .execute, containing: "e2", times: 10)
        let read = await expectError(.eventRead) { try await fixture.db.events.readEvent(id: "e2") }
        #expect(read?.isOutcomeUnknown == false)
        #expect(read?.isConnectionFailure == true)
        try await fixture.close()
    }
}

import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// Lost replies that must be settled exactly, or reported as unknown.
extension LostReplyTests {
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

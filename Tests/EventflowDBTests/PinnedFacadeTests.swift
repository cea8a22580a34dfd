import EventflowDB
import EventflowDBInMemory
import Testing

@Suite("Facade: withPinnedConnection")
struct PinnedFacadeTests {
    @Test("the fakes run a pinned body as it is, returning its value and its errors")
    func fakesRunTheBody() async throws {
        struct Stop: Error {}
        let db = EventflowDB.inMemory()
        let id = try await db.withPinnedConnection {
            try await db.events.persistEvent(NewEvent(domain: "pinned", pid: "p", name: "n"))
        }
        #expect(try await db.events.readEvent(id: id).name == "n")
        await #expect(throws: Stop.self) { try await db.withPinnedConnection { throw Stop() } }
    }
}

import EventflowDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("Event associations")
struct AssociationContractTests {
    @Test(
        "a cpid association is created once, read back, found by its own domain, and deleted",
        arguments: TestBackend.all)
    func cpidLifecycle(backend: TestBackend) async throws {
        try await backend.withDatabase { db, clock in
            let first = try await db.events.persistEvent(Fixture.event(id: "e1", domain: "parent"))
            clock.advance(by: 1)
            let second = try await db.events.persistEvent(Fixture.event(id: "e2", domain: "parent"))
            #expect(try await db.events.persistEventCpid(eventID: second, domain: "child", cpid: "c1"))
            #expect(try await db.events.persistEventCpid(eventID: first, domain: "child", cpid: "c1"))
            #expect(try await db.events.persistEventCpid(eventID: first, domain: "other", cpid: "c1"))
            #expect(try await db.events.persistEventCpid(eventID: first, domain: "child", cpid: "c1") == false)

            #expect(
                try await db.events.readEventCpids(eventID: first) == [
                    EventCpid(domain: "child", cpid: "c1"), EventCpid(domain: "other", cpid: "c1"),
                ])
            // Found by the association's domain (the child's), not the event's own domain.
            #expect(try await db.events.readEvents(domain: "child", cpid: "c1").map(\.id) == ["e1", "e2"])
            #expect(try await db.events.readEvents(domain: "parent", cpid: "c1").isEmpty)

            #expect(try await db.events.deleteEventCpid(eventID: first, domain: "child", cpid: "c1"))
            #expect(try await db.events.deleteEventCpid(eventID: first, domain: "child", cpid: "c1") == false)
            #expect(try await db.events.readEventCpids(eventID: first) == [EventCpid(domain: "other", cpid: "c1")])
            #expect(try await db.events.readEvents(domain: "child", cpid: "c1").map(\.id) == ["e2"])
        }
    }

    @Test("a cpid association with an unknown event fails and writes nothing", arguments: TestBackend.all)
    func cpidUnknownEvent(backend: TestBackend) async throws {
        try await backend.withDatabase { db, _ in
            let error = await expectError(.eventCpidPersist) {
                try await db.events.persistEventCpid(eventID: "missing", domain: "d", cpid: "c")
            }
            #expect(error?.isForeignKeyViolation == true)
            let found = try await db.events.readEvents(domain: "d", cpid: "c")
            #expect(found.isEmpty)
        }
    }

    @Test(
        "an eid association is created once, read back, found by eid and by the event's domain, and deleted",
        arguments: TestBackend.all)
    func eidLifecycle(backend: TestBackend) async throws {
        try await backend.withDatabase { db, clock in
            let first = try await db.events.persistEvent(Fixture.event(id: "e1", domain: "d1"))
            clock.advance(by: 1)
            let second = try await db.events.persistEvent(Fixture.event(id: "e2", domain: "d2"))
            #expect(try await db.events.persistEventEid(eventID: first, eid: "x"))
            #expect(try await db.events.persistEventEid(eventID: second, eid: "x"))
            #expect(try await db.events.persistEventEid(eventID: first, eid: "y"))
            #expect(try await db.events.persistEventEid(eventID: first, eid: "x") == false)

            #expect(try await db.events.readEventEids(eventID: first) == ["x", "y"])
            #expect(try await db.events.readEvents(eid: "x").map(\.id) == ["e1", "e2"])
            #expect(try await db.events.readEvents(domain: "d2", eid: "x").map(\.id) == ["e2"])
            #expect(try await db.events.readEvents(domain: "d3", eid: "x").isEmpty)

            #expect(try await db.events.deleteEventEid(eventID: first, eid: "x"))
            #expect(try await db.events.deleteEventEid(eventID: first, eid: "x") == false)
            #expect(try await db.events.readEventEids(eventID: first) == ["y"])
            #expect(try await db.events.readEvents(eid: "x").map(\.id) == ["e2"])
        }
    }

    @Test("an eid association with an unknown event fails and writes nothing", arguments: TestBackend.all)
    func eidUnknownEvent(backend: TestBackend) async throws {
        try await backend.withDatabase { db, _ in
            let error = await expectError(.eventEidPersist) {
                try await db.events.persistEventEid(eventID: "missing", eid: "x")
            }
            #expect(error?.isForeignKeyViolation == true)
            let found = try await db.events.readEvents(eid: "x")
            #expect(found.isEmpty)
        }
    }
}

import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func associationCpidLifecycle(_ backend: ContractBackend) async throws {
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

    static func associationCpidUnknownEvent(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let error = await expectError(.eventCpidPersist) {
                try await db.events.persistEventCpid(eventID: "missing", domain: "d", cpid: "c")
            }
            #expect(error?.isForeignKeyViolation == true)
            let found = try await db.events.readEvents(domain: "d", cpid: "c")
            #expect(found.isEmpty)
        }
    }

    static func associationEidLifecycle(_ backend: ContractBackend) async throws {
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

    static func associationEidUnknownEvent(_ backend: ContractBackend) async throws {
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

extension EventflowDBContract {
    /// Event associations.
    public static let association: [ContractCase] = [
        ContractCase(
            "Event associations", "a cpid association is created once, read back, found by its own domain, and deleted",
            associationCpidLifecycle),
        ContractCase(
            "Event associations", "a cpid association with an unknown event fails and writes nothing",
            associationCpidUnknownEvent),
        ContractCase(
            "Event associations",
            "an eid association is created once, read back, found by eid and by the event's domain, and deleted",
            associationEidLifecycle),
        ContractCase(
            "Event associations", "an eid association with an unknown event fails and writes nothing",
            associationEidUnknownEvent),
    ]
}

extension EventflowDBContract {
    static func associationStreams(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<7 {
                if index % 3 != 0 { clock.advance(by: 0.001) }  // some ties, split across pages
                let id = try await db.events.persistEvent(
                    Fixture.event(id: "a\(index)", domain: index % 2 == 0 ? "d1" : "d2"))
                try await db.events.persistEventCpid(eventID: id, domain: "child", cpid: "c1")
                try await db.events.persistEventEid(eventID: id, eid: "x1")
            }
            var byCpid: [String] = []
            for try await event in db.events.events(domain: "child", cpid: "c1", pageSize: 3) {
                byCpid.append(event.id)
            }
            #expect(
                byCpid == (try await db.events.readEvents(domain: "child", cpid: "c1")).map(\.id) && byCpid.count == 7)
            var byEid: [String] = []
            for try await event in db.events.events(eid: "x1", pageSize: 2) { byEid.append(event.id) }
            #expect(byEid == (try await db.events.readEvents(eid: "x1")).map(\.id) && byEid.count == 7)
            var byDomainEid: [String] = []
            for try await event in db.events.events(eid: "x1", domain: "d1", pageSize: 2) {
                byDomainEid.append(event.id)
            }
            #expect(byDomainEid == (try await db.events.readEvents(domain: "d1", eid: "x1")).map(\.id))
            #expect(byDomainEid == ["a0", "a2", "a4", "a6"])
        }
    }

    /// Streaming the associations.
    public static let associationStream: [ContractCase] = [
        ContractCase(
            "Associations", "events by cpid and by eid stream in keyset pages, equal to the whole reads",
            associationStreams)
    ]
}

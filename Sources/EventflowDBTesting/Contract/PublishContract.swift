import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func publishWritesEverything(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            let id = try await db.publish(
                Fixture.event(data: ["n": 1]), publisher: "spoke-1", consumer: "spoke-2", hub: "hub-1",
                scheduled: clock.now().addingTimeInterval(-1), cpids: [EventCpid(domain: "billing", cpid: "inv-1")],
                eids: ["customer-9"])
            #expect(try await db.events.readEvent(id: id).data == ["n": 1])
            #expect(try await db.events.readEventCpids(eventID: id) == [EventCpid(domain: "billing", cpid: "inv-1")])
            #expect(try await db.events.readEventEids(eventID: id) == ["customer-9"])
            let state = try await db.published.readEventPublished(eventID: id)
            #expect(state.publisher == "spoke-1" && state.consumer == "spoke-2" && state.hub == "hub-1")
            #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == [id])
        }
    }

    static func publishAllOrNothing(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            // The hub is checked after the event and associations are written: MariaDB must roll them back.
            let unknownHub = await expectError(.eventPublish) {
                try await db.publish(
                    Fixture.event(id: "p-1"), publisher: "spoke", hub: "no-such-hub", scheduled: clock.now(),
                    cpids: [EventCpid(domain: "billing", cpid: "inv-1")], eids: ["customer-9"])
            }
            #expect(unknownHub?.isForeignKeyViolation == true)
            await expectError(.eventNotFound) { try await db.events.readEvent(id: "p-1") }
            let byCpid = try await db.events.readEvents(domain: "billing", cpid: "inv-1")
            let byEid = try await db.events.readEvents(eid: "customer-9")
            let due = try await db.scheduled.readEventsScheduled()
            #expect(byCpid.isEmpty && byEid.isEmpty && due.isEmpty)

            _ = try await db.events.persistEvent(Fixture.event(id: "taken"))
            let duplicate = await expectError(.eventPublish) {
                try await db.publish(Fixture.event(id: "taken"), publisher: "spoke", eids: ["customer-9"])
            }
            #expect(duplicate?.isDuplicate == true)
            #expect(try await db.events.readEvents(eid: "customer-9").isEmpty)
            await expectError(.eventPublishedNotFound) { try await db.published.readEventPublished(eventID: "taken") }
        }
    }

    static func publishBadInput(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            await expectError(.invalidInput, field: "publication.eids") {
                try await db.publish(Fixture.event(id: "p-2"), publisher: "spoke", eids: ["ok", ""])
            }
            await expectError(.eventNotFound) { try await db.events.readEvent(id: "p-2") }
        }
    }
}

extension EventflowDBContract {
    /// Atomic publish.
    public static let publish: [ContractCase] = [
        ContractCase(
            "Atomic publish",
            "publish writes the event, its associations, its delivery state and its schedule together",
            publishWritesEverything),
        ContractCase("Atomic publish", "a publish that fails part way leaves nothing behind", publishAllOrNothing),
        ContractCase(
            "Atomic publish", "a publish with bad input is rejected before anything is written", publishBadInput),
    ]
}

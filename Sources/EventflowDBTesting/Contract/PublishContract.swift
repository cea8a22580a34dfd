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
    static func publishScheduledRunDelivers(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            let id = try await db.publish(
                Fixture.event(id: "later"), publisher: "spoke", scheduled: clock.now().addingTimeInterval(60))
            let pending = {
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10)
            }
            #expect(try await pending().isEmpty, "not a pending delivery before it is due")
            #expect(try await db.scheduled.claimScheduledRun(eventID: id, policy: runPolicy()) == nil)
            clock.advance(by: 60)
            let run = try #require(try await db.scheduled.claimScheduledRun(eventID: id, policy: runPolicy()))
            #expect(
                try await db.published.readEventPublished(eventID: id).consumedHub == clock.now().truncatedToSeconds)
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1") == false)
            #expect(try await pending().isEmpty)
            // A retry and a lease that expires stay with the run: the delivery stays held.
            _ = try #require(
                try await db.scheduled.failScheduledRun(eventID: id, attempt: run.attempts, policy: runPolicy()))
            clock.advance(by: 10)
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1") == false)
            let second = try #require(try await db.scheduled.claimScheduledRun(eventID: id, policy: runPolicy()))
            #expect(second.attempts == 2)
            #expect(try await db.scheduled.succeedScheduledRun(eventID: id, attempt: 2))
            #expect(try await db.published.readEventPublished(eventID: id).success == clock.now().truncatedToSeconds)

            // A discarded dead letter sets the delivery aside (orphan).
            let dead = try await db.publish(Fixture.event(id: "dead"), publisher: "spoke", scheduled: clock.now())
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: dead, policy: runPolicy(max: 1)))
            _ = try #require(try await db.scheduled.failScheduledRun(eventID: dead, attempt: 1, policy: runPolicy()))
            #expect(try await db.scheduled.discardScheduledDeadLetter(eventID: dead))
            #expect(try await db.published.readEventPublished(eventID: dead).orphan == clock.now().truncatedToSeconds)
        }
    }

    static func publishPublishedClaimFirst(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            let id = try await db.publish(Fixture.event(id: "due"), publisher: "spoke", scheduled: clock.now())
            #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == [id])
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1"))
            #expect(try await db.scheduled.claimScheduledRun(eventID: id, policy: runPolicy()) == nil)
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: id) == false)
            #expect(try await db.scheduled.readEventsScheduled().isEmpty, "not due: its delivery is claimed")
            #expect(try await db.scheduled.readNextScheduledTime() == nil)
        }
    }

    static func publishScheduledRunsOnce(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            var ids: [String] = []
            for index in 0..<12 {
                ids.append(
                    try await db.publish(Fixture.event(id: "once-\(index)"), publisher: "spoke", scheduled: clock.now())
                )
            }
            // Per event, four run claimers and four published claimers at once.
            let wins = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for id in ids {
                    for claimer in 0..<8 {
                        group.addTask {
                            if claimer.isMultiple(of: 2) {
                                return (
                                    id,
                                    try await db.scheduled.claimScheduledRun(eventID: id, policy: runPolicy()) != nil
                                )
                            }
                            return (
                                id,
                                try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1")
                            )
                        }
                    }
                }
                var wins: [String: Int] = [:]
                for try await (id, won) in group where won { wins[id, default: 0] += 1 }
                return wins
            }
            #expect(ids.allSatisfy { wins[$0] == 1 }, "each event is claimed once, by one kind of claim: \(wins)")
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 100).isEmpty)
        }
    }
}

extension EventflowDBContract {
    /// Atomic publish.
    static func publishRetryStoredOnce(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let event = NewEvent(id: "pub-1", domain: "orders", pid: "o-1", name: "created", data: ["n": 1])
            #expect(try await db.publish(event, publisher: "spoke", eids: ["customer-1"]) == "pub-1")
            clock.advance(by: 2)
            // A restarted spoke retries the publish it could not confirm: answered once.
            #expect(try await db.publish(event, publisher: "spoke", eids: ["customer-1"]) == "pub-1")
            let stored = try await db.events.readEvents(domain: "orders", pid: "o-1")
            #expect(stored.count == 1)
            #expect(try await db.published.readEventPublished(eventID: "pub-1").publisher == "spoke")
            // Another publisher, or other content, under the id is a duplicate that names it.
            let other = await expectError(.eventPublish) { try await db.publish(event, publisher: "spoke-2") }
            #expect(other?.isDuplicate == true)
            #expect(other?.eventIDs == ["pub-1"])
            var changed = event
            changed.name = "changed"
            let content = await expectError(.eventPublish) { try await db.publish(changed, publisher: "spoke") }
            #expect(content?.isDuplicate == true)
            // A failure carries the id it generated.
            let generated = await expectError(.eventPublish) {
                try await db.publish(
                    NewEvent(domain: "orders", pid: "o-2", name: "created"), publisher: "s", hub: "none")
            }
            #expect(generated?.eventIDs.count == 1 && generated?.eventIDs.first?.isEmpty == false)
        }
    }

    public static let publish: [ContractCase] = [
        ContractCase(
            "Atomic publish",
            "publish writes the event, its associations, its delivery state and its schedule together",
            publishWritesEverything),
        ContractCase("Atomic publish", "a publish that fails part way leaves nothing behind", publishAllOrNothing),
        ContractCase(
            "Atomic publish", "a publish with bad input is rejected before anything is written", publishBadInput),
        ContractCase(
            "Atomic publish",
            "a publication with a schedule is delivered by its run, whose claim holds the published delivery",
            publishScheduledRunDelivers),
        ContractCase(
            "Atomic publish", "a published claim won first refuses the run's claims, and the run is no longer due",
            publishPublishedClaimFirst),
        ContractCase(
            "Atomic publish",
            "a publication with a schedule runs once under concurrent run claims and published claims",
            publishScheduledRunsOnce),
        ContractCase(
            "Atomic publish",
            "a publish retried as it was stored (from any process) answers its id once; a failure carries the id",
            publishRetryStoredOnce),
    ]
}

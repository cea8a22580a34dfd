import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func redeliveryNotConsumed(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            for index in 0..<4 {
                let id = try await db.events.persistEvent(Fixture.event(id: "p\(index)"))
                _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
                clock.advance(by: 10)
            }
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: "p1", hubID: "hub-1"))
            let start = ContractBackend.referenceDate
            let stale = try await db.published.readEventsPublishedNotConsumed(
                publishedBefore: start.addingTimeInterval(25), limit: 10)
            #expect(stale.map(\.eventID) == ["p0", "p2"])
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 2).map(
                    \.eventID) == ["p0", "p2"])
            await expectError(.invalidInput, field: "limit") {
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 0)
            }
        }
    }

    static func redeliveryWaitsForSchedule(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let now = clock.now()
            _ = try await db.publish(
                Fixture.event(id: "later"), publisher: "spoke", scheduled: now.addingTimeInterval(60))
            _ = try await db.publish(Fixture.event(id: "plain"), publisher: "spoke")
            clock.advance(by: 10)
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10).map(
                    \.eventID)
                    == ["plain"], "an event scheduled for later is not redelivered before it is due")
            clock.advance(by: 60)
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10).map(
                    \.eventID
                )
                .sorted() == ["later", "plain"])
        }
    }

    static func redeliveryUnfinished(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<4 {
                let id = try await db.events.persistEvent(Fixture.event(id: "s\(index)", name: "job-\(index)"))
                _ = try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: id, scheduled: clock.now()))
            }
            for id in ["s2", "s0", "s1"] {
                clock.advance(by: 10)
                #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: id))
            }
            #expect(try await db.scheduled.updateEventScheduledSuccess(eventID: "s0"))
            let unfinished = try await db.scheduled.readEventsScheduledUnfinished(
                executedBefore: clock.now(), limit: 10)
            #expect(unfinished.map(\.eventID) == ["s2", "s1"])
            #expect(unfinished.first?.name == "job-2")
            #expect(
                unfinished.first?.executed == ContractBackend.referenceDate.addingTimeInterval(10).truncatedToSeconds)
            #expect(
                try await db.scheduled.readEventsScheduledUnfinished(executedBefore: clock.now(), limit: 1).map(
                    \.eventID) == ["s2"])
            #expect(
                try await db.scheduled.readEventsScheduledUnfinished(
                    executedBefore: ContractBackend.referenceDate, limit: 10
                ).isEmpty)
        }
    }

    static func redeliveryOperatorReads(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub("a"))
            clock.advance(by: 1)
            _ = try await db.hubs.persistHub(Fixture.hub("b"))
            _ = try await db.hubs.updateHubToQuit(id: "a")
            #expect(try await db.hubs.readHubs().map(\.id) == ["a", "b"])
            _ = try await db.events.persistEvent(Fixture.event())
            try await db.logs.persistLog(NewLogEntry(agent: "a", message: "m"))
            let counts = try await db.migrator.tableRowCounts()
            #expect(
                counts == [
                    "certificate": 0, "event": 1, "event_cpid": 0, "event_eid": 0, "event_published": 0,
                    "event_scheduled": 0, "hub": 2, "log": 1,
                ])
        }
    }
}

extension EventflowDBContract {
    /// Redelivery and operator reads.
    public static let redelivery: [ContractCase] = [
        ContractCase(
            "Redelivery and operator reads", "events scheduled for later are not redelivered before they are due",
            redeliveryWaitsForSchedule),
        ContractCase(
            "Redelivery and operator reads",
            "published events no hub consumed within an age are read oldest first, limited", redeliveryNotConsumed),
        ContractCase(
            "Redelivery and operator reads",
            "scheduled events claimed but never finished are read earliest claim first, limited", redeliveryUnfinished),
        ContractCase(
            "Redelivery and operator reads",
            "all hubs are read, also those that quit, and row counts cover every table", redeliveryOperatorReads),
    ]
}

extension EventflowDBContract {
    static func deadLetters(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await db.hubs.persistHub(Fixture.hub())
            for id in ["e1", "e2"] { _ = try await db.publish(Fixture.event(id: id), publisher: "spoke") }
            #expect(try await db.published.recordDeliveryAttempt(eventID: "e1") == 1)
            #expect(try await db.published.recordDeliveryAttempt(eventID: "e1") == 2)
            #expect(try await db.published.recordDeliveryAttempt(eventID: "e1") == 3)
            #expect(try await db.published.recordDeliveryAttempt(eventID: "e2") == 1)
            await expectError(.eventPublishedNotFound) { try await db.published.recordDeliveryAttempt(eventID: "nope") }
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-1"))
            try await db.published.updateEventPublishedToFailed(eventID: "e1")

            let dead = try await db.published.readDeadLetters(maxAttempts: 3, limit: 10)
            #expect(dead.map(\.eventID) == ["e1"] && dead.first?.attempts == 3)
            #expect(try await db.published.readDeadLetters(maxAttempts: 1, limit: 10).map(\.eventID) == ["e1", "e2"])
            #expect(try await db.published.readDeadLetters(maxAttempts: 1, limit: 1).count == 1)

            // Requeued: attempts, failure and claim cleared; hubs see and claim it again.
            #expect(try await db.published.requeueDeadLetter(eventID: "e1"))
            let requeued = try await db.published.readEventPublished(eventID: "e1")
            #expect(requeued.attempts == 0 && requeued.failed == nil && requeued.consumedHub == nil)
            #expect(try await db.published.requeueDeadLetter(eventID: "e1") == false, "nothing left to clear")
            let open = try await db.published.readEventsPublishedNotConsumed(
                publishedBefore: clock.now().addingTimeInterval(1), limit: 10)
            #expect(open.map(\.eventID).contains("e1"))
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-1"))

            // Discarded: orphan, out of the dead letters for good.
            #expect(try await db.published.discardDeadLetter(eventID: "e2"))
            #expect(try await db.published.discardDeadLetter(eventID: "e2") == false)
            #expect(try await db.published.readDeadLetters(maxAttempts: 1, limit: 10).isEmpty)
            #expect(try await db.published.requeueDeadLetter(eventID: "e2") == false)
            await expectError(.invalidInput, field: "maxAttempts") {
                try await db.published.readDeadLetters(maxAttempts: 0, limit: 10)
            }
        }
    }

    /// Delivery attempts and dead letters.
    public static let deadLetter: [ContractCase] = [
        ContractCase(
            "Dead letters",
            "attempts are counted; events past a maximum are dead letters until requeued or discarded", deadLetters)
    ]
}

extension EventflowDBContract {
    static func pendingDeliveries(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await db.hubs.persistHub(Fixture.hub())
            for index in 0..<5 {
                if index == 2 { clock.advance(by: 1) }
                _ = try await db.publish(Fixture.event(id: "p\(index)"), publisher: "spoke")
            }
            _ = try await db.publish(
                Fixture.event(id: "later"), publisher: "spoke", scheduled: clock.now().addingTimeInterval(3_600))
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: "p2", hubID: "hub-1"))
            _ = try await db.published.recordDeliveryAttempt(eventID: "p0")
            let before = clock.now().addingTimeInterval(1)

            var streamed: [PendingDelivery] = []
            for try await pending in db.published.pendingDeliveries(publishedBefore: before, pageSize: 2) {
                streamed.append(pending)
            }
            let states = try await db.published.readEventsPublishedNotConsumed(publishedBefore: before, limit: 100)
            #expect(streamed.map(\.delivery) == states)
            #expect(streamed.map(\.event.id) == ["p0", "p1", "p3", "p4"])
            #expect(streamed.allSatisfy { $0.event.id == $0.delivery.eventID && $0.event.name == "created" })
            #expect(streamed.first?.delivery.attempts == 1)

            let first = try await db.published.readPendingDeliveries(publishedBefore: before, limit: 3)
            let rest = try await db.published.readPendingDeliveries(
                publishedBefore: before, after: first.last?.cursor, limit: 3)
            #expect((first + rest).map(\.event.id) == ["p0", "p1", "p3", "p4"])
        }
    }

    /// Pending deliveries with their events.
    public static let pendingDelivery: [ContractCase] = [
        ContractCase(
            "Redelivery", "pending deliveries come with their events, in pages, as the not-consumed read orders them",
            pendingDeliveries)
    ]
}

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
            for id in ["e1", "e2", "e3"] { _ = try await db.publish(Fixture.event(id: id), publisher: "spoke") }
            for id in ["e1", "e2"] {
                #expect(
                    try await db.published.claimDelivery(
                        eventID: id, hubID: "hub-1", lease: .seconds(30), maxAttempts: 1))
                #expect(
                    try await db.published.failDelivery(eventID: id, hubID: "hub-1", maxAttempts: 1, retryAfter: .zero))
            }
            let dead = try await db.published.readDeadLetters(limit: 10)
            #expect(dead.map(\.eventID) == ["e1", "e2"] && dead.allSatisfy { $0.attempts == 1 && $0.failed != nil })
            #expect(try await db.published.readDeadLetters(limit: 1).count == 1)

            // Requeued: attempts, failure and claim cleared; hubs see and claim it again.
            #expect(try await db.published.requeueDeadLetter(dead[0]))
            let requeued = try await db.published.readEventPublished(eventID: "e1")
            #expect(requeued.attempts == 0 && requeued.failed == nil && requeued.consumedHub == nil)
            #expect(try await db.published.requeueDeadLetter(dead[0]) == false, "no longer the dead letter seen")
            let open = try await db.published.readEventsPublishedNotConsumed(
                publishedBefore: clock.now().addingTimeInterval(1), limit: 10)
            #expect(open.map(\.eventID) == ["e1", "e3"])
            #expect(
                try await db.published.claimDelivery(eventID: "e1", hubID: "hub-1", lease: .seconds(30), maxAttempts: 1)
            )

            // Discarded: orphan, out of the dead letters for good.
            #expect(try await db.published.discardDeadLetter(dead[1]))
            #expect(try await db.published.discardDeadLetter(dead[1]) == false)
            #expect(try await db.published.readDeadLetters(limit: 10).isEmpty)
            #expect(try await db.published.requeueDeadLetter(dead[1]) == false)
            #expect(try await db.published.readEventPublished(eventID: "e2").orphan != nil)
            await expectError(.invalidInput, field: "limit") { try await db.published.readDeadLetters(limit: 0) }
        }
    }

    /// Delivery attempts and dead letters.
    public static let deadLetter: [ContractCase] = [
        ContractCase(
            "Dead letters",
            "deliveries failed at their maximum are dead letters until requeued or discarded as seen", deadLetters)
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
            #expect(try await db.published.claimDelivery(eventID: "p0", hubID: "hub-1", lease: .zero, maxAttempts: 5))
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

import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func dueTimeLimitAndNext(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let now = clock.now()
            #expect(try await db.scheduled.readNextScheduledTime() == nil)
            for (id, offset) in [("first", -20.0), ("second", -10.0), ("later", 60.0)] {
                _ = try await db.events.persistEvent(Fixture.event(id: id))
                try await db.scheduled.persistEventScheduled(
                    NewEventScheduled(eventID: id, scheduled: now.addingTimeInterval(offset)))
            }
            #expect(try await db.scheduled.readEventsScheduled(dueBy: nil, limit: 1).map(\.eventID) == ["first"])
            #expect(
                try await db.scheduled.readEventsScheduled(dueBy: nil, limit: 10).map(\.eventID) == ["first", "second"])
            await expectError(.invalidInput, field: "limit") {
                try await db.scheduled.readEventsScheduled(dueBy: nil, limit: 0)
            }
            #expect(try await db.scheduled.readNextScheduledTime() == now.addingTimeInterval(-20).truncatedToSeconds)
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: "first"))
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: "second"))
            #expect(try await db.scheduled.readNextScheduledTime() == now.addingTimeInterval(60).truncatedToSeconds)
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: "later"))
            #expect(try await db.scheduled.readNextScheduledTime() == nil)
        }
    }

    static func dueTimeStream(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.events.persistEvent(Fixture.event(id: "soon"))
            let dueAt = clock.now().addingTimeInterval(30).truncatedToSeconds
            try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: "soon", scheduled: dueAt))
            let scheduled = db.scheduled
            // The event and the (manual) time at which the sequence yielded it.
            let first = Task { () -> (String, Date)? in
                for try await due in scheduled.dueEvents(clock: clock, longestSleep: .milliseconds(50)) {
                    return (due.eventID, clock.now())
                }
                return nil
            }
            try await Task.sleep(for: .milliseconds(300))  // reads while it is not yet due
            // Its sleeps are on the manual clock: advance once it sleeps, or a sleep that starts
            // after the advance would wait for the next one.
            await clock.advance(untilSleepers: 1)
            clock.advance(by: 31)
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                first.cancel()
            }
            let yielded = try await first.value
            watchdog.cancel()
            #expect(yielded?.0 == "soon")
            #expect(yielded.map { $0.1 >= dueAt } == true, "yielded only once it was due")
        }
    }
}

extension EventflowDBContract {
    static func dueTimeStreamWokenByWrite(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let scheduled = db.scheduled
            // A 10-minute sleep on the (manual) clock, which the test never advances: only a
            // write can end it.
            let first = Task { () -> String? in
                for try await due in scheduled.dueEvents(clock: clock, longestSleep: .seconds(600)) {
                    return due.eventID
                }
                return nil
            }
            await clock.advance(untilSleepers: 1)  // it read nothing due and sleeps
            let id = try await db.publish(Fixture.event(id: "now"), publisher: "spoke", scheduled: clock.now())
            let watchdog = Task {
                try await Task.sleep(for: .seconds(20))
                first.cancel()
            }
            let yielded = try? await first.value
            watchdog.cancel()
            #expect(yielded == id, "woken by the publish of its process")
        }
    }

    static func dueTimeNextCountsRetriesAndLeases(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let now = clock.now()
            _ = try await db.events.persistEvent(Fixture.event(id: "run"))
            try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: "run", scheduled: now))
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()))
            #expect(
                try await db.scheduled.readNextScheduledTime() == now.addingTimeInterval(30).truncatedToMilliseconds)
            _ = try #require(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: runPolicy()))
            #expect(
                try await db.scheduled.readNextScheduledTime() == now.addingTimeInterval(10).truncatedToMilliseconds)
        }
    }

    static func dueTimeStreamRetriesAndReopens(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.events.persistEvent(Fixture.event(id: "run"))
            try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: "run", scheduled: clock.now()))
            let scheduled = db.scheduled
            let (yields, sink) = AsyncStream.makeStream(of: ScheduledEvent.self)
            let reader = Task {
                for try await due in scheduled.dueEvents(clock: clock, longestSleep: .milliseconds(50)) {
                    sink.yield(due)
                }
            }
            let watchdog = Task {
                try await Task.sleep(for: .seconds(20))
                reader.cancel()
                sink.finish()
            }
            var next = yields.makeAsyncIterator()
            let first = await next.next()
            #expect(first?.attempts == 0)
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()))
            _ = try #require(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: runPolicy()))
            await clock.advance(untilSleepers: 1)
            clock.advance(by: 10)  // the retry falls due
            let retry = await next.next()
            #expect(retry?.eventID == "run" && retry?.attempts == 1)
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()))
            await clock.advance(untilSleepers: 1)
            clock.advance(by: 31)  // the hub died: its lease expired
            let reopened = await next.next()
            #expect(reopened?.eventID == "run" && reopened?.attempts == 2)
            reader.cancel()
            watchdog.cancel()
            sink.finish()
        }
    }
}

extension EventflowDBContract {
    /// Due-time waits for schedulers.
    public static let dueTime: [ContractCase] = [
        ContractCase(
            "Due-time waits", "due events are read up to a limit, and the next scheduled time says when to look again",
            dueTimeLimitAndNext),
        ContractCase(
            "Due-time waits", "a scheduler's sequence of due events yields an event once it falls due, not before",
            dueTimeStream),
        ContractCase(
            "Due-time waits",
            "a scheduler's sequence asleep for 10 minutes is woken by a scheduled publish of its process",
            dueTimeStreamWokenByWrite),
        ContractCase(
            "Due-time waits", "the next scheduled time counts retry times and leases that expire",
            dueTimeNextCountsRetriesAndLeases),
        ContractCase(
            "Due-time waits", "the sequence of due events yields a retry that fell due and a run whose lease expired",
            dueTimeStreamRetriesAndReopens),
    ]
}

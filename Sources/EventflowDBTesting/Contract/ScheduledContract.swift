import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func scheduledReadDue(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let now = clock.now()
            let late = try await db.events.persistEvent(
                Fixture.event(id: "late", domain: "d", pid: "p1", name: "late-run"))
            let early = try await db.events.persistEvent(
                Fixture.event(id: "early", domain: "d", pid: "p2", name: "early-run"))
            let future = try await db.events.persistEvent(Fixture.event(id: "future"))
            let done = try await db.events.persistEvent(Fixture.event(id: "done"))
            #expect(
                try await db.scheduled.persistEventScheduled(
                    NewEventScheduled(eventID: late, scheduled: now.addingTimeInterval(-10))))
            #expect(
                try await db.scheduled.persistEventScheduled(
                    NewEventScheduled(eventID: early, scheduled: now.addingTimeInterval(-60))))
            #expect(
                try await db.scheduled.persistEventScheduled(
                    NewEventScheduled(eventID: future, scheduled: now.addingTimeInterval(3600))))
            #expect(
                try await db.scheduled.persistEventScheduled(
                    NewEventScheduled(eventID: done, scheduled: now.addingTimeInterval(-120))))
            #expect(
                try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: done, scheduled: now)) == false)
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: done))

            let due = try await db.scheduled.readEventsScheduled()
            #expect(due.map(\.eventID) == ["early", "late"])
            #expect(
                due.first
                    == ScheduledEvent(
                        eventID: "early", domain: "d", pid: "p2", name: "early-run", timestamp: now.truncatedToSeconds,
                        scheduled: now.addingTimeInterval(-60).truncatedToSeconds))
            #expect(
                try await db.scheduled.readEventsScheduled(dueBy: now.addingTimeInterval(3600)).map(\.eventID) == [
                    "early", "late", "future",
                ])
            clock.advance(by: 3600)
            #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == ["early", "late", "future"])
        }
    }

    static func scheduledUnknownEvent(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let error = await expectError(.scheduledEventPersist) {
                try await db.scheduled.persistEventScheduled(
                    NewEventScheduled(eventID: "missing", scheduled: clock.now()))
            }
            #expect(error?.isForeignKeyViolation == true)
            let due = try await db.scheduled.readEventsScheduled()
            #expect(due.isEmpty)
        }
    }

    static func scheduledExecutedClaimRace(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let id = try await db.events.persistEvent(Fixture.event())
            _ = try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: id, scheduled: clock.now()))
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { try await db.scheduled.updateEventScheduledExecuted(eventID: id) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
        }
    }

    static func scheduledStamps(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let id = try await db.events.persistEvent(Fixture.event())
            _ = try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: id, scheduled: clock.now()))
            #expect(try await db.scheduled.updateEventScheduledSuccess(eventID: id))
            #expect(try await db.scheduled.updateEventScheduledSuccess(eventID: id) == false)
            #expect(try await db.scheduled.updateEventScheduledFailed(eventID: id))
            #expect(try await db.scheduled.updateEventScheduledFailed(eventID: id) == false)
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: "nope") == false)
            #expect(try await db.scheduled.updateEventScheduledSuccess(eventID: "nope") == false)
            #expect(try await db.scheduled.updateEventScheduledFailed(eventID: "nope") == false)
        }
    }
}

extension EventflowDBContract {
    /// Scheduled events, and the life of their runs (``scheduledRun``).
    public static let scheduled: [ContractCase] = scheduledEvents + scheduledRun

    /// Scheduled events as the original library has them.
    static let scheduledEvents: [ContractCase] = [
        ContractCase(
            "Scheduled events",
            "only due, unexecuted events are read, earliest first, with their event's domain, pid and name",
            scheduledReadDue),
        ContractCase("Scheduled events", "scheduling an unknown event fails and writes nothing", scheduledUnknownEvent),
        ContractCase(
            "Scheduled events", "of 16 hubs claiming a scheduled event concurrently, exactly one wins",
            scheduledExecutedClaimRace),
        ContractCase(
            "Scheduled events",
            """
            success and failed are each stamped once, and not for unknown \
            events
            """, scheduledStamps),
    ]
}

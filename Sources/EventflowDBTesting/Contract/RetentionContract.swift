import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func retentionDeliveries(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<5 {
                let id = try await db.events.persistEvent(Fixture.event(id: "r\(index)"))
                try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
            }
            try await db.published.updateEventPublishedToSuccess(eventID: "r0")
            try await db.published.updateEventPublishedToFailed(eventID: "r1")
            try await db.published.updateEventPublishedToOrphan(eventID: "r2")
            let cutoff = clock.now().addingTimeInterval(1)
            clock.advance(by: 10)
            try await db.published.updateEventPublishedToSuccess(eventID: "r4")  // finished after the cutoff

            #expect(try await db.published.deleteEventsPublishedFinished(before: cutoff, limit: 1) == 1)
            #expect(try await db.published.deleteEventsPublishedFinished(before: cutoff, limit: 2) == 1)
            #expect(try await db.published.deleteEventsPublishedFinished(before: cutoff, limit: 2) == 0)
            for gone in ["r0", "r2"] {
                await expectError(.eventPublishedNotFound) { try await db.published.readEventPublished(eventID: gone) }
                #expect(try await db.events.readEvent(id: gone).id == gone, "the event itself stays")
            }
            // A dead letter (stamped failed) waits for an operator: kept however old, until discarded.
            let dead = try await db.published.readEventPublished(eventID: "r1")
            #expect(try await db.published.readDeadLetters(limit: 10) == [dead])
            clock.advance(by: 86_400)
            #expect(
                try await db.published.deleteEventsPublishedFinished(before: clock.now(), limit: 10) == 1, "r4 only")
            #expect(try await db.published.readEventPublished(eventID: "r1") == dead)
            #expect(try await db.published.discardDeadLetter(dead))
            clock.advance(by: 1)
            #expect(try await db.published.deleteEventsPublishedFinished(before: clock.now(), limit: 10) == 1)
            await expectError(.eventPublishedNotFound) { try await db.published.readEventPublished(eventID: "r1") }
            #expect(try await db.published.readEventPublished(eventID: "r3").success == nil)
            await expectError(.invalidInput, field: "limit") {
                try await db.published.deleteEventsPublishedFinished(before: cutoff, limit: 0)
            }
        }
    }

    static func retentionSchedules(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<4 {
                let id = try await db.events.persistEvent(Fixture.event(id: "s\(index)"))
                try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: id, scheduled: clock.now()))
                _ = try await db.scheduled.updateEventScheduledExecuted(eventID: id)
            }
            try await db.scheduled.updateEventScheduledSuccess(eventID: "s0")
            try await db.scheduled.updateEventScheduledFailed(eventID: "s1")
            // s2 executed but unfinished; s3 finished after the cutoff.
            let cutoff = clock.now().addingTimeInterval(1)
            clock.advance(by: 10)
            try await db.scheduled.updateEventScheduledSuccess(eventID: "s3")

            // s1, stamped failed, is a dead letter: kept until it is discarded (or requeued).
            #expect(try await db.scheduled.deleteEventsScheduledFinished(before: cutoff, limit: 10) == 1)
            #expect(try await db.scheduled.deleteEventsScheduledFinished(before: cutoff, limit: 10) == 0)
            #expect(try await db.scheduled.readScheduledDeadLetters(limit: 10).map(\.eventID) == ["s1"])
            let unfinished = try await db.scheduled.readEventsScheduledUnfinished(
                executedBefore: clock.now(), limit: 10)
            #expect(unfinished.map(\.eventID) == ["s2"])
            #expect(try await db.events.readEvent(id: "s0").id == "s0")
            #expect(try await db.scheduled.discardScheduledDeadLetter(eventID: "s1"))
            #expect(try await db.scheduled.deleteEventsScheduledFinished(before: clock.now(), limit: 10) == 2)
            #expect(try await db.scheduled.readScheduledRun(eventID: "s1") == nil)  // and s3
        }
    }

    static func retentionLogArchives(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "day 1"))
            clock.advance(by: 86_400)
            let day2 = clock.now()
            try await db.logs.archiveLog(before: day2)
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "day 2"))
            clock.advance(by: 86_400)
            let day3 = clock.now()
            try await db.logs.archiveLog(before: day3)
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "day 3"))

            #expect(try await db.logs.dropLogArchives(before: day2) == ["p_cold_" + LogArchiveDay.string(for: day2)])
            #expect(try await db.logs.readLogs(agent: nil, from: nil, to: nil).map(\.message) == ["day 2", "day 3"])
            #expect(try await db.logs.readLogArchives() == ["p_cold_" + LogArchiveDay.string(for: day3)])
            #expect(try await db.logs.dropLogArchives(before: day2).isEmpty)
            #expect(try await db.logs.dropLogArchives(before: day3.addingTimeInterval(86_400)).count == 1)
            #expect(try await db.logs.readLogs(agent: nil, from: nil, to: nil).map(\.message) == ["day 3"])
        }
    }

    static func retentionRun(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<5 {
                let id = try await db.publish(
                    Fixture.event(id: "a\(index)"), publisher: "spoke", scheduled: clock.now())
                try await db.published.updateEventPublishedToSuccess(eventID: id)
                _ = try await db.scheduled.updateEventScheduledExecuted(eventID: id)
                try await db.scheduled.updateEventScheduledSuccess(eventID: id)  // finished (failed: a dead letter)
            }
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "old"))
            clock.advance(by: 86_400)
            try await db.logs.archiveLog(before: clock.now())
            clock.advance(by: 86_400)
            // Two hosts at once: they take turns under the lock; together they remove each row once.
            async let first = db.applyRetention(before: clock.now(), batchSize: 2)
            async let second = db.applyRetention(before: clock.now(), batchSize: 2)
            let reports = try await [first, second]
            #expect(reports.map(\.deliveries).reduce(0, +) == 5)
            #expect(reports.map(\.schedules).reduce(0, +) == 5)
            #expect(reports.map(\.logArchives.count).reduce(0, +) == 1)
            #expect(try await db.logs.readLogs(agent: nil, from: nil, to: nil).isEmpty)
            await expectError(.invalidInput, field: "batchSize") {
                try await db.applyRetention(before: clock.now(), batchSize: 0)
            }
        }
    }
}

extension EventflowDBContract {
    static func retentionStopsWhenCancelled(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<5 {
                let id = try await db.events.persistEvent(Fixture.event(id: "c\(index)"))
                try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
                try await db.published.updateEventPublishedToSuccess(eventID: id)
            }
            clock.advance(by: 10)
            let cutoff = clock.now()
            // A run whose body is cancelled (as when its lock is lost) deletes no further batch.
            let run = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await db.applyRetention(before: cutoff, batchSize: 1)
            }
            await #expect(throws: CancellationError.self) { try await run.value }
            let left = try await db.published.deleteEventsPublishedFinished(before: cutoff, limit: 10)
            #expect(left >= 4, "batches deleted after the run was cancelled")
        }
    }
}

extension EventflowDBContract {
    /// Retention.
    public static let retention: [ContractCase] = [
        ContractCase(
            "Retention",
            "finished deliveries are deleted in bounded batches; open ones, dead letters and the events stay",
            retentionDeliveries),
        ContractCase(
            "Retention", "finished schedules are deleted; unfinished runs and dead letters stay", retentionSchedules),
        ContractCase(
            "Retention", "log archives older than a day are dropped with their lines; the rest stays",
            retentionLogArchives),
        ContractCase(
            "Retention", "a retention run from two hosts at once removes each row once, under the lock", retentionRun),
        ContractCase(
            "Retention", "a cancelled retention run (its lock lost) stops before its next batch",
            retentionStopsWhenCancelled),
    ]
}

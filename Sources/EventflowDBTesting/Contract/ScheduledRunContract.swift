import EventflowDB
import Foundation
import Testing

/// The life of a scheduled run: every transition of ``ScheduledRunState`` and every refused one.
extension EventflowDBContract {
    /// A policy of `max` attempts, a 30 s lease and a 10 s back-off doubling up to 60 s.
    static func runPolicy(max: Int = 3) -> ScheduledRunPolicy {
        ScheduledRunPolicy(maxAttempts: max, lease: .seconds(30), backoff: .seconds(10), maxBackoff: .seconds(60))
    }

    /// Schedules a new event `id` due `offset` seconds from now.
    static func scheduleRun(
        _ db: EventflowDB, _ clock: ManualClock, _ id: String, in offset: TimeInterval = 0
    )
        async throws
    {
        _ = try await db.events.persistEvent(Fixture.event(id: id))
        try await db.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: id, scheduled: clock.now().addingTimeInterval(offset)))
    }

    static func runClaimCountsAndLeases(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await scheduleRun(db, clock, "later", in: 60)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "later", policy: runPolicy()) == nil)
            try await scheduleRun(db, clock, "run")
            let now = clock.now()
            let run = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()))
            #expect(run.attempts == 1 && run.maxAttempts == 3)
            #expect(run.executed == now.truncatedToSeconds)
            #expect(run.leaseExpires == now.addingTimeInterval(30).truncatedToMilliseconds)
            #expect(run.state(at: now) == .claimed)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()) == nil)
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: "run") == false)
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "nope", policy: runPolicy()) == nil)
            #expect(try await db.scheduled.succeedScheduledRun(eventID: "run", attempt: 2) == false)
            #expect(try await db.scheduled.succeedScheduledRun(eventID: "run", attempt: 1))
            #expect(try await db.scheduled.succeedScheduledRun(eventID: "run", attempt: 1) == false)
            #expect(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: runPolicy()) == nil)
            let done = try await db.scheduled.readScheduledRun(eventID: "run")
            #expect(done?.success == now.truncatedToSeconds && done?.state(at: clock.now()) == .succeeded)
            clock.advance(by: 3600)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()) == nil)
            #expect(try await db.scheduled.readScheduledRun(eventID: "missing") == nil)
        }
    }

    static func runExpiredLeaseReopens(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await scheduleRun(db, clock, "run")
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()))
            clock.advance(by: 20)
            #expect(try await db.scheduled.renewScheduledRun(eventID: "run", attempt: 1, lease: .seconds(30)))
            clock.advance(by: 20)  // past the first lease, within the renewed one
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()) == nil)
            clock.advance(by: 11)  // the hub died: the renewed lease expired
            #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == ["run"])
            #expect(try await db.scheduled.readScheduledRun(eventID: "run")?.state(at: clock.now()) == .due)
            let second = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy()))
            #expect(second.attempts == 2)
            // The dead hub's late calls are refused; the new holder's are not.
            #expect(try await db.scheduled.renewScheduledRun(eventID: "run", attempt: 1, lease: .seconds(30)) == false)
            #expect(try await db.scheduled.succeedScheduledRun(eventID: "run", attempt: 1) == false)
            #expect(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: runPolicy()) == nil)
            #expect(try await db.scheduled.succeedScheduledRun(eventID: "run", attempt: 2))
            #expect(try await db.scheduled.readScheduledRun(eventID: "run")?.attempts == 2)
        }
    }

    static func runFailureRetriesAfterBackoff(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await scheduleRun(db, clock, "run")
            let policy = runPolicy(max: 2)
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: policy))
            let failedAt = clock.now()
            let retry = try #require(
                try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: policy))
            #expect(retry.failed == nil && retry.executed == nil && retry.attempts == 1)
            #expect(retry.retryAt == failedAt.addingTimeInterval(10).truncatedToMilliseconds)
            #expect(retry.state(at: clock.now()) == .pending)
            #expect(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: policy) == nil)
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "run", policy: policy) == nil)
            #expect(try await db.scheduled.readScheduledDeadLetters(limit: 10).isEmpty)
            clock.advance(by: 10)
            #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == ["run"])
            let second = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: policy))
            #expect(second.attempts == 2 && second.retryAt == nil)
            let dead = try #require(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 2, policy: policy))
            #expect(dead.failed == clock.now().truncatedToSeconds && dead.state(at: clock.now()) == .deadLetter)
            #expect(try await db.scheduled.readScheduledDeadLetters(limit: 10).map(\.eventID) == ["run"])
            clock.advance(by: 3600)
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy(max: 5)) == nil)
            #expect(try await db.scheduled.readScheduledRun(eventID: "run")?.attempts == 2)
        }
    }

    static func runLastLeaseExpiresToDeadLetter(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await scheduleRun(db, clock, "run")
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy(max: 1)))
            clock.advance(by: 31)
            #expect(try await db.scheduled.readEventsScheduled().isEmpty)
            #expect(try await db.scheduled.readNextScheduledTime() == nil)
            #expect(try await db.scheduled.claimScheduledRun(eventID: "run", policy: runPolicy(max: 1)) == nil)
            let dead = try await db.scheduled.readScheduledDeadLetters(limit: 10)
            #expect(dead.map(\.eventID) == ["run"] && dead.first?.failed == nil)
            #expect(dead.first?.state(at: clock.now()) == .deadLetter)
            #expect(try await db.scheduled.requeueScheduledDeadLetter(try #require(dead.first)))
            #expect(try await db.scheduled.readScheduledRun(eventID: "run")?.state(at: clock.now()) == .due)
        }
    }

    static func runRequeueOnlyAsSeen(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await scheduleRun(db, clock, "run")
            let policy = runPolicy(max: 1)
            let live = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: policy))
            // A live claim is not a dead letter: requeue and discard are refused, the holder keeps it.
            #expect(try await db.scheduled.requeueScheduledDeadLetter(live) == false)
            #expect(try await db.scheduled.discardScheduledDeadLetter(eventID: "run") == false)
            #expect(try await db.scheduled.readScheduledRun(eventID: "run") == live)
            _ = try #require(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: policy))
            let seen = try #require(try await db.scheduled.readScheduledDeadLetters(limit: 10).first)
            var stale = seen
            stale.attempts = 7
            #expect(try await db.scheduled.requeueScheduledDeadLetter(stale) == false)
            clock.advance(by: 5)
            #expect(try await db.scheduled.requeueScheduledDeadLetter(seen))
            #expect(try await db.scheduled.requeueScheduledDeadLetter(seen) == false, "it changed since it was seen")
            let requeued = try #require(try await db.scheduled.readScheduledRun(eventID: "run"))
            #expect(requeued.attempts == 0 && requeued.failed == nil && requeued.executed == nil)
            #expect(requeued.state(at: clock.now()) == .due)
            // Claimed and failed again by others: the operator's old view no longer matches.
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "run", policy: policy))
            clock.advance(by: 5)
            _ = try #require(try await db.scheduled.failScheduledRun(eventID: "run", attempt: 1, policy: policy))
            #expect(try await db.scheduled.requeueScheduledDeadLetter(seen) == false)
            await expectError(.invalidInput, field: "seen.eventID") {
                var bad = seen
                bad.eventID = ""
                return try await db.scheduled.requeueScheduledDeadLetter(bad)
            }
        }
    }

    static func runDiscardAndRetention(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for id in ["dead", "kept", "done"] { try await scheduleRun(db, clock, id) }
            for id in ["dead", "kept"] {
                _ = try #require(try await db.scheduled.claimScheduledRun(eventID: id, policy: runPolicy(max: 1)))
                _ = try #require(try await db.scheduled.failScheduledRun(eventID: id, attempt: 1, policy: runPolicy()))
            }
            _ = try #require(try await db.scheduled.claimScheduledRun(eventID: "done", policy: runPolicy()))
            #expect(try await db.scheduled.discardScheduledDeadLetter(eventID: "done") == false)
            #expect(try await db.scheduled.succeedScheduledRun(eventID: "done", attempt: 1))
            #expect(try await db.scheduled.discardScheduledDeadLetter(eventID: "dead"))
            #expect(try await db.scheduled.discardScheduledDeadLetter(eventID: "dead") == false)
            let discarded = try await db.scheduled.readScheduledRun(eventID: "dead")
            #expect(discarded?.discarded == clock.now().truncatedToSeconds)
            #expect(discarded?.state(at: clock.now()) == .discarded)
            #expect(try await db.scheduled.readScheduledDeadLetters(limit: 10).map(\.eventID) == ["kept"])
            #expect(try await db.scheduled.requeueScheduledDeadLetter(try #require(discarded)) == false)
            clock.advance(by: 10)
            #expect(try await db.scheduled.deleteEventsScheduledFinished(before: clock.now(), limit: 10) == 2)
            #expect(try await db.scheduled.readScheduledRun(eventID: "dead") == nil)
            #expect(try await db.scheduled.readScheduledRun(eventID: "done") == nil)
            #expect(try await db.scheduled.readScheduledRun(eventID: "kept")?.state(at: clock.now()) == .deadLetter)
        }
    }

    static func runOriginalStampsMap(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for id in ["old-claim", "old-failed"] { try await scheduleRun(db, clock, id) }
            // The original's claim: an attempt, no lease, no maximum: held until stamped.
            #expect(try await db.scheduled.updateEventScheduledExecuted(eventID: "old-claim"))
            let held = try #require(try await db.scheduled.readScheduledRun(eventID: "old-claim"))
            #expect(held.attempts == 1 && held.leaseExpires == nil && held.maxAttempts == nil)
            clock.advance(by: 86_400)
            #expect(held.state(at: clock.now()) == .claimed)
            #expect(try await db.scheduled.readEventsScheduled().map(\.eventID) == ["old-failed"])
            #expect(try await db.scheduled.claimScheduledRun(eventID: "old-claim", policy: runPolicy()) == nil)
            let unfinished = try await db.scheduled.readEventsScheduledUnfinished(
                executedBefore: clock.now(), limit: 10)
            #expect(unfinished.map(\.eventID) == ["old-claim"])
            // Its failure has no maximum to retry under: a dead letter.
            let dead = try await db.scheduled.failScheduledRun(eventID: "old-claim", attempt: 1, policy: runPolicy())
            #expect(dead?.state(at: clock.now()) == .deadLetter)
            // The original's failed stamp is a dead letter, kept by retention.
            #expect(try await db.scheduled.updateEventScheduledFailed(eventID: "old-failed"))
            #expect(
                try await db.scheduled.readScheduledDeadLetters(limit: 10).map(\.eventID) == [
                    "old-claim", "old-failed",
                ])
            #expect(try await db.scheduled.deleteEventsScheduledFinished(before: clock.now(), limit: 10) == 0)
        }
    }

    static func runBadInput(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await scheduleRun(db, clock, "run")
            await expectError(.invalidInput, field: "policy.maxAttempts") {
                try await db.scheduled.claimScheduledRun(eventID: "run", policy: ScheduledRunPolicy(maxAttempts: 0))
            }
            await expectError(.invalidInput, field: "policy.lease") {
                try await db.scheduled.claimScheduledRun(eventID: "run", policy: ScheduledRunPolicy(lease: .zero))
            }
            await expectError(.invalidInput, field: "policy.backoff") {
                try await db.scheduled.failScheduledRun(
                    eventID: "run", attempt: 1, policy: ScheduledRunPolicy(backoff: .seconds(-1)))
            }
            await expectError(.invalidInput, field: "attempt") {
                try await db.scheduled.succeedScheduledRun(eventID: "run", attempt: 0)
            }
            await expectError(.invalidInput, field: "lease") {
                try await db.scheduled.renewScheduledRun(eventID: "run", attempt: 1, lease: .seconds(-1))
            }
            await expectError(.invalidInput, field: "eventID") {
                try await db.scheduled.claimScheduledRun(eventID: "", policy: runPolicy())
            }
            await expectError(.invalidInput, field: "limit") {
                try await db.scheduled.readScheduledDeadLetters(limit: 0)
            }
            let untouched = try await db.scheduled.readScheduledRun(eventID: "run")
            #expect(untouched?.attempts == 0 && untouched?.executed == nil)
        }
    }
}

extension EventflowDBContract {
    /// The life of a scheduled run.
    public static let scheduledRun: [ContractCase] = [
        ContractCase(
            "Scheduled runs", "a claim wins a due run once, counts an attempt and holds a lease; success is final",
            runClaimCountsAndLeases),
        ContractCase(
            "Scheduled runs",
            "an expired lease makes the run due again; the dead hub's late calls are refused, the new holder's not",
            runExpiredLeaseReopens),
        ContractCase(
            "Scheduled runs", "a failure below the maximum retries after the back-off; at the maximum a dead letter",
            runFailureRetriesAfterBackoff),
        ContractCase(
            "Scheduled runs", "a lease that expires on the last attempt makes a dead letter, not a due run",
            runLastLeaseExpiresToDeadLetter),
        ContractCase(
            "Scheduled runs", "a requeue takes only a dead letter still as the operator saw it; a live claim stays",
            runRequeueOnlyAsSeen),
        ContractCase(
            "Scheduled runs", "only a dead letter is discarded; retention removes discarded and succeeded runs only",
            runDiscardAndRetention),
        ContractCase(
            "Scheduled runs",
            "the original's claim holds without a lease; its failed stamp is a dead letter retention keeps",
            runOriginalStampsMap),
        ContractCase(
            "Scheduled runs", "bad policies, attempts and leases are rejected before anything changes", runBadInput),
    ]
}

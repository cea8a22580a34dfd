import Foundation

extension EventScheduledRepository {
    /// The scheduled events as they fall due, for a hub to iterate and claim.
    ///
    /// Between reads it sleeps on `clock` until the next scheduled time (``readNextScheduledTime()``),
    /// but never longer than `longestSleep`, and wakes early when a write of events commits (one
    /// of this process's, or on MariaDB another process's, through the server's binary log), so
    /// an event scheduled meanwhile is read at once, and within `longestSleep` when no wake-up
    /// comes (the next time counts retry times and leases that expire). On a ``ManualClock``
    /// the sleeps are virtual: they end when the test advances the clock. Each
    /// due run is yielded once per attempt while it stays due: a run that failed and whose
    /// retry fell due, or whose claim's lease expired (its hub died), is yielded again. Claim it
    /// with ``claimScheduledRun(eventID:policy:)`` (another hub may win it).
    ///
    /// ```swift
    /// for try await due in db.scheduled.dueEvents() {
    ///     guard let run = try await db.scheduled.claimScheduledRun(eventID: due.eventID) else { continue }
    ///     // run it, then succeed or fail it:
    ///     try await db.scheduled.succeedScheduledRun(eventID: run.eventID, attempt: run.attempts)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - clock: what "now" is (the repositories' clock).
    ///   - longestSleep: the longest wait between two reads (zero to a year).
    ///   - limit: how many due events one read fetches (1–10,000).
    /// - Returns: a sequence that ends when the task iterating it is cancelled, and throws what a
    ///   read throws: first ``EventflowDBError/Code/invalidInput`` naming `longestSleep` or
    ///   `limit` when either is out of range.
    public func dueEvents(
        clock: any EventflowClock = SystemClock(), longestSleep: Duration = .seconds(5), limit: Int = 100
    ) -> AsyncThrowingStream<ScheduledEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                // Yielded and still due at the same attempt count: not yielded again. A retry
                // or a reopened run has a higher count, so it is yielded again.
                var yielded = Set<Due>()
                do {
                    try Validator.timeout(longestSleep, field: "longestSleep")
                    try Validator.limit(limit)
                    while !Task.isCancelled {
                        // Read before the read: a write that commits after it ends the wait.
                        let seen = await fetchWriteCount()
                        let due = try await readEventsScheduled(dueBy: clock.now(), limit: limit)
                        yielded.formIntersection(due.map(Due.init))
                        let fresh = due.filter { !yielded.contains(Due($0)) }
                        for event in fresh {
                            yielded.insert(Due(event))
                            continuation.yield(event)
                        }
                        if !fresh.isEmpty && due.count == limit { continue }
                        let next = try await readNextScheduledTime()
                        await waitForTimeOrWrite(
                            Self.wait(until: next, now: clock.now(), longest: longestSleep), on: clock, after: seen)
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Returns after `duration` on `clock`, once a write of events commits after the count
    /// `seen`, or when the task is cancelled, whichever comes first.
    func waitForTimeOrWrite(_ duration: Duration, on clock: any EventflowClock, after seen: UInt64) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: duration) }
            group.addTask { await awaitWrite(after: seen, timeout: duration) }
            await group.next()
            group.cancelAll()
        }
    }

    /// From now to `next`, between 50 ms (something due is waiting to be claimed) and `longest`
    /// (at most a year: checked by the caller). `longest` when the clock gives no finite time.
    static func wait(until next: Date?, now: Date, longest: Duration) -> Duration {
        guard let next else { return longest }
        let milliseconds = (next.timeIntervalSince(now) * 1000).rounded(.up)
        guard milliseconds.isFinite else { return longest }
        let longestMilliseconds =
            Double(longest.components.seconds) * 1000 + Double(longest.components.attoseconds) / 1e15
        return .milliseconds(Int64(min(max(milliseconds, 50), max(longestMilliseconds, 50))))
    }
}

/// A due run as the due-events sequence remembers it: its event and its attempts so far.
private struct Due: Hashable {
    var eventID: String
    var attempts: Int

    init(_ run: ScheduledEvent) {
        (eventID, attempts) = (run.eventID, run.attempts)
    }
}

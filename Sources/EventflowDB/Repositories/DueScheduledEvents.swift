import Foundation

extension EventScheduledRepository {
    /// The scheduled events as they fall due, for a hub to iterate and claim.
    ///
    /// Between reads it sleeps until the next scheduled time (``readNextScheduledTime()``), but
    /// never longer than `longestSleep`, so events scheduled meanwhile by other processes are
    /// seen within that bound. Each due event is yielded once while it stays unexecuted; claim
    /// it with ``updateEventScheduledExecuted(eventID:)`` (another hub may win it).
    ///
    /// ```swift
    /// for try await due in db.scheduled.dueEvents() {
    ///     guard try await db.scheduled.updateEventScheduledExecuted(eventID: due.eventID) else { continue }
    ///     // run it, then stamp success or failure
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
                // Yielded and still unexecuted: not yielded again.
                var yielded = Set<String>()
                do {
                    try Validator.timeout(longestSleep, field: "longestSleep")
                    try Validator.limit(limit)
                    while !Task.isCancelled {
                        let due = try await readEventsScheduled(dueBy: clock.now(), limit: limit)
                        yielded.formIntersection(due.map(\.eventID))
                        let fresh = due.filter { !yielded.contains($0.eventID) }
                        for event in fresh {
                            yielded.insert(event.eventID)
                            continuation.yield(event)
                        }
                        if !fresh.isEmpty && due.count == limit { continue }
                        let next = try await readNextScheduledTime()
                        try await Task.sleep(for: Self.wait(until: next, now: clock.now(), longest: longestSleep))
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

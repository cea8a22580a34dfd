public import EventflowDB
import Foundation

/// A follower that polls only every 10 minutes, and a writer that waits for each of its events
/// to reach it: an event that reaches it within the deadline was carried by a wake-up (the
/// binary log stream), not by the poll.
public final class WakeProbe: Sendable {
    private let ids = LockedState([String]())
    private let failure = LockedState<String?>(nil)
    private let task: Task<Void, any Error>

    /// Starts following `domain` through `db`.
    public init(following db: EventflowDB, domain: String) {
        let (ids, failure) = (self.ids, self.failure)
        task = Task {
            do {
                for try await followed in db.follow.follow(domain: domain, after: 0, poll: .seconds(600)) {
                    ids.withLock { $0.append(followed.event.id) }
                }
            } catch {
                failure.withLock { $0 = "\(error)" }
                throw error
            }
        }
    }

    /// The ids the follower read, in order.
    public var arrivals: [String] { ids.withLock { $0 } }

    /// Writes `count` events through `writer`, each after the one before reached the follower;
    /// returns the commit-to-arrival delays, sorted. Throws when one does not arrive in 20 s.
    public func writeAndAwait(
        _ writer: EventflowDB, domain: String, prefix: String, count: Int
    ) async throws
        -> [Duration]
    {
        var delays: [Duration] = []
        for index in 0..<count {
            let id = try await writer.events.persistEvent(
                NewEvent(id: "\(prefix)-\(index)", domain: domain, pid: "p", name: "n"))
            let committed = ContinuousClock.now
            while !ids.withLock({ $0.contains(id) }) {
                guard ContinuousClock.now - committed < .seconds(20) else {
                    let ended = failure.withLock { $0.map { " (the follower failed: \($0))" } ?? "" }
                    throw WakeProbeError(message: "\(id) did not reach the follower in 20 s: no wake-up came\(ended)")
                }
                try await Task.sleep(for: .milliseconds(1))
            }
            delays.append(ContinuousClock.now - committed)
        }
        return delays.sorted()
    }

    /// Stops the follower.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// An event that did not reach a ``WakeProbe``'s follower.
public struct WakeProbeError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

import EventflowDB
import EventflowDBMariaDB
import Foundation
import Logging

/// The follow figures (issue #23): what a running follower costs W1, how soon a committed event
/// reaches a follower in the writer's process and in another one (another pool, as a separate
/// process would be: woken through the server's binary log, or by its poll when that stream is
/// off), and how many reads an idle follower makes. `--only FOLLOW`.
struct FollowBench {
    let workloads: Workloads
    let configuration: MariaDBConfiguration
    let logger: Logger

    func run() async throws {
        // W1 with a follower of its domain running beside it, in another pool.
        let other = EventflowDB.mariaDB(configuration: configuration, logger: logger)
        for concurrency in [1, 8] {
            let follower = Task {
                var count = 0
                for try await _ in other.follow.follow(domain: "bench", after: 0) { count += 1 }
                return count
            }
            Measure.report(
                "W1-followed", concurrency, try await workloads.persist(concurrency: concurrency),
                extra: "a follower of the domain running in another pool")
            follower.cancel()
            _ = await follower.result
        }
        try await latency(other: other)
        try await idle(other: other)
        try await other.close()
    }

    /// Commit-to-read latency of 300 events written 10 ms apart, for a follower in the writer's
    /// pool (woken by the write) and one in another pool (woken through the binary log).
    private func latency(other: EventflowDB) async throws {
        let db = workloads.db
        let domain = "bench-follow-latency"
        let count = 300
        let committed = LockedTimes()
        func follower(_ database: EventflowDB) -> Task<[Duration], any Error> {
            Task {
                var delays: [Duration] = []
                for try await followed in database.follow.follow(domain: domain, after: 0) {
                    if let at = committed.time(of: followed.event.id) { delays.append(.now - at) }
                    if delays.count == count { break }
                }
                return delays
            }
        }
        let local = follower(db)
        let remote = follower(other)
        try await Task.sleep(for: .milliseconds(200))
        for index in 0..<count {
            let event = Workloads.event(index, domain: domain)
            _ = try await db.events.persistEvent(event)
            committed.set(event.id!, .now)
            try await Task.sleep(for: .milliseconds(10))
        }
        for (name, task) in [("same-process", local), ("other-process", remote)] {
            let delays = try await task.value.sorted()
            func ms(_ quantile: Double) -> Double {
                let delay = delays[min(delays.count - 1, Int(Double(delays.count) * quantile))]
                return Double(delay.components.attoseconds) / 1e15 + Double(delay.components.seconds) * 1_000
            }
            print(
                String(
                    format: "BENCH follow-latency-%@ 1 p50=%.1fms p99=%.1fms max=%.1fms events=%d", name, ms(0.5),
                    ms(0.99), ms(1), delays.count))
        }
    }

    /// Reads of an idle follower in another pool over 10 s: one statement each when nothing is
    /// new. The window starts once the follower has granted positions to the events the
    /// workloads before wrote (a few seconds of catch-up that are work, not idling).
    private func idle(other: EventflowDB) async throws {
        let counting = CountingFollow(inner: other.follow)
        let follower = Task {
            for try await _ in counting.follow(domain: "bench-follow-idle", after: 0) {}
        }
        var before = counting.reads
        while true {
            try await Task.sleep(for: .seconds(2))
            let now = counting.reads
            defer { before = now }
            if now - before <= 3 { break }  // the poll's pace: caught up
        }
        let start = counting.reads
        try await Task.sleep(for: .seconds(10))
        let reads = counting.reads - start
        follower.cancel()
        _ = await follower.result
        print(
            String(
                format: "BENCH follow-idle 1 reads_per_second=%.2f (one statement each while idle)",
                Double(reads) / 10))
    }
}

/// When each event's write returned.
final class LockedTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [String: ContinuousClock.Instant] = [:]
    func set(_ id: String, _ time: ContinuousClock.Instant) { lock.withLock { times[id] = time } }
    func time(of id: String) -> ContinuousClock.Instant? { lock.withLock { times[id] } }
}

/// A follow repository that counts the reads it forwards.
final class CountingFollow: FollowRepository, @unchecked Sendable {
    let inner: any FollowRepository
    private let lock = NSLock()
    private var count = 0
    init(inner: any FollowRepository) { self.inner = inner }
    var reads: Int { lock.withLock { count } }

    func fetchFollowed(domain: Identifier, after page: Page) async throws -> [FollowedEvent] {
        lock.withLock { count += 1 }
        return try await inner.fetchFollowed(domain: domain, after: page)
    }
    func fetchWriteCount() async -> UInt64 { await inner.fetchWriteCount() }
    func awaitWrite(after count: UInt64, timeout: Duration) async {
        await inner.awaitWrite(after: count, timeout: timeout)
    }
    func fetchConsumers(_ query: ConsumerQuery) async throws -> [ConsumerPosition] {
        try await inner.fetchConsumers(query)
    }
    func changeConsumer(name: Identifier, domain: Identifier, position: UInt64) async throws {
        try await inner.changeConsumer(name: name, domain: domain, position: position)
    }
    func removeConsumer(name: Identifier, domain: Identifier) async throws -> Bool {
        try await inner.removeConsumer(name: name, domain: domain)
    }
}

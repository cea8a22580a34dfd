import EventflowDB
import Foundation

/// `--only DESIGNS`: the transport designs of issue #13 item 3, measured without any library code
/// (no validation, JSON, pool, retries or metrics), each against the floor, slice by slice as the
/// workloads are. They show what bounds the library at 8 concurrent callers on this machine:
/// the hand-offs between Swift tasks and the threads that block in Connector/C, not the library.
///
/// - `design-thread`: a thread per connection, the caller suspends (the driver's shape).
/// - `design-loop`: one event loop, non-blocking Connector/C, the caller suspends.
struct Designs {
    let shape: DesignShape
    let db: EventflowDB
    let floor: Floor
    let events: Int
    let rounds: Int
    let slices = 10

    /// `--only DESIGNS8` runs W1 at concurrency 8 alone.
    func run(onlyConcurrency8: Bool) async throws {
        for concurrency in onlyConcurrency8 ? [8] : [8, 1] {
            Measure.report("design-thread-W1", concurrency, try await insertThreads(concurrency))
            Measure.report("design-loop-W1", concurrency, try await insertLoop(concurrency))
        }
        if !onlyConcurrency8 { Measure.report("design-thread-W3", 8, try await claimThreads(), extra: "wins=1000") }
    }

    /// W1 through `concurrency` threads, each its own connection.
    private func insertThreads(_ concurrency: Int) async throws -> Rates {
        let connections = try (0..<concurrency).map { _ in try DesignConnection(shape, nonBlocking: false) }
        let threads = (0..<concurrency).map { _ in DesignThread() }
        return try await persist(concurrency) { worker, index in
            let connection = connections[worker]
            return await threads[worker].run { connection.insertBlocking(index) }
        }
    }

    /// W1 through one loop over `concurrency` non-blocking connections.
    private func insertLoop(_ concurrency: Int) async throws -> Rates {
        let connections = try (0..<concurrency).map { _ in try DesignConnection(shape, nonBlocking: true) }
        let loop = DesignLoop()
        return try await persist(concurrency) { worker, index in
            let connection = connections[worker]
            return await loop.run { done in connection.insertNonBlocking(index, on: loop, done: done) }
        }
    }

    /// W1's slices: `insert(worker, index)` from `concurrency` tasks against the floor's.
    private func persist(
        _ concurrency: Int, _ insert: @escaping @Sendable (Int, Int) async -> Int
    ) async throws -> Rates {
        let perWorker = events / concurrency / slices
        var rates = Rates()
        for _ in 0..<rounds {
            var projectSeconds = 0.0
            var floorSeconds = 0.0
            for slice in 0..<slices {
                floorSeconds += try await floor.run("persist \(concurrency) \(slice) \(perWorker)").seconds
                projectSeconds += try await Measure.seconds {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for worker in 0..<concurrency {
                            group.addTask {
                                let first = (slice * concurrency + worker) * perWorker
                                for index in first..<(first + perWorker) where await insert(worker, index) != 1 {
                                    throw BenchError("a design prototype's insert failed")
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            let items = Double(perWorker * concurrency * slices)
            rates.add(project: items / projectSeconds, baseline: items / floorSeconds)
        }
        return rates
    }

    /// W3 (8 hubs racing for 1,000 published events) through 8 threads, each its own connection.
    private func claimThreads(hubs: Int = 8, count: Int = 1_000) async throws -> Rates {
        let connections = try (0..<hubs).map { _ in try DesignConnection(shape, nonBlocking: false) }
        let threads = (0..<hubs).map { _ in DesignThread() }
        try await db.seedHubs(hubs, prefix: "bench-hub-")
        var rates = Rates()
        for round in 0..<rounds {
            for side in ["p", "b"] {
                try await db.seedClaimable((0..<count).map { "design-\(round)-\(side)-\($0)" })
            }
            let (floorWins, floorSeconds) = try await floor.run("claim \(hubs) \(count) design-\(round)-b-")
            var wins = 0
            let seconds = await Measure.seconds {
                wins = await withTaskGroup(of: Int.self) { group in
                    for hub in 0..<hubs {
                        let connection = connections[hub]
                        let thread = threads[hub]
                        group.addTask {
                            var won = 0
                            for index in 0..<count {
                                won += await thread.run {
                                    max(
                                        0,
                                        connection.claimBlocking("design-\(round)-p-\(index)", hub: "bench-hub-\(hub)"))
                                }
                            }
                            return won
                        }
                    }
                    return await group.reduce(0, +)
                }
            }
            guard wins == count, floorWins == count else {
                throw BenchError("design claims were not exact: \(wins) and \(floorWins) of \(count)")
            }
            let attempts = Double(hubs * count)
            rates.add(project: attempts / seconds, baseline: attempts / floorSeconds)
        }
        return rates
    }
}

import EventflowDB
import EventflowDBInMemory
import Foundation

/// The benchmark's workloads, each run on the project's repositories and on the C baseline.
struct Workloads {
    let db: EventflowDB
    let floor: Floor
    let events: Int
    let rounds: Int
    private static let payload = JSONValue.string(String(repeating: "x", count: 150))
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// W1's event number `index`: a random 20-character id, domain bench, one of 200 pids.
    static func event(_ index: Int, domain: String = "bench") -> NewEvent {
        var generator = SystemRandomNumberGenerator()
        var random = generator.next() as UInt64
        var more = generator.next() as UInt64
        var id = [UInt8](repeating: 0, count: 20)
        for position in 0..<20 {
            if position == 12 { random = more; more = 0 }
            id[position] = alphabet[Int(random % 36)]
            random /= 36
        }
        return NewEvent(
            id: String(decoding: id, as: UTF8.self), domain: domain, pid: "p\(index % 200)", name: "created",
            data: ["qux": "foobar", "n": .integer(Int64(index)), "payload": payload])
    }

    /// Slices per round: the baseline and the project alternate slice by slice, so both meet
    /// the same disk and server conditions (fsync latency on a VM drifts from second to second).
    static let slices = 10

    /// `rounds` rounds of interleaved slices, each round giving the project's and the floor's
    /// rate and their ratio. `project(slice)` and `baseline(slice)` each do `items / slices`
    /// items; `baseline` returns the seconds the floor measured for its work.
    private func interleaved(
        items: Int, project: (Int) async throws -> Void, baseline: (Int) async throws -> Double
    ) async throws -> Rates {
        var rates = Rates()
        for _ in 0..<rounds {
            var projectSeconds = 0.0
            var baselineSeconds = 0.0
            for slice in 0..<Self.slices {
                baselineSeconds += try await baseline(slice)
                projectSeconds += try await Measure.seconds { try await project(slice) }
            }
            rates.add(project: Double(items) / projectSeconds, baseline: Double(items) / baselineSeconds)
        }
        return rates
    }

    /// W1: one persistEvent per event, autocommit, at concurrency 1 and 8.
    /// With `pinned`, each writer runs in ``EventflowDB/withPinnedConnection(_:)``.
    func persist(concurrency: Int, pinned: Bool = false) async throws -> Rates {
        let perWorker = events / concurrency / Self.slices
        return try await interleaved(
            items: perWorker * concurrency * Self.slices,
            project: { slice in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<concurrency {
                        group.addTask {
                            let first = (slice * concurrency + worker) * perWorker
                            try await pin(pinned) {
                                for index in first..<(first + perWorker) {
                                    _ = try await db.events.persistEvent(Self.event(index))
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            },
            baseline: { slice in
                let (done, seconds) = try await floor.run("persist \(concurrency) \(slice) \(perWorker)")
                if done != perWorker * concurrency {
                    throw BenchError("the floor persisted \(done) of \(perWorker * concurrency)")
                }
                return seconds
            })
    }

    /// W2: seeds 20,000 events as event logs of `rowsPerRead` events each (200 pids × 100 by
    /// default), then reads every event log `passes` times on one connection.
    func read(rowsPerRead: Int = 100, passes: Int = 5) async throws -> Rates {
        let domain = "bench-read-\(rowsPerRead)"
        let pids = 20_000 / rowsPerRead
        for start in stride(from: 0, to: 20_000, by: 500) {
            _ = try await db.events.persistEvents(
                (start..<start + 500).map {
                    var event = Self.event($0, domain: domain)
                    event.pid = "p\($0 % pids)"
                    return event
                })
        }
        // Each slice reads a tenth of the pids, `passes` times.
        let rows = 20_000 * passes
        let pidsPerSlice = pids / Self.slices
        return try await interleaved(
            items: rows,
            project: { slice in
                var count = 0
                for _ in 0..<passes {
                    for pid in (slice * pidsPerSlice)..<((slice + 1) * pidsPerSlice) {
                        count += try await db.events.readEvents(domain: domain, pid: "p\(pid)").count
                    }
                }
                if count != rows / Self.slices {
                    throw BenchError("project read \(count) rows, expected \(rows / Self.slices)")
                }
            },
            baseline: { slice in
                let (count, seconds) = try await floor.run(
                    "read \(passes) \(slice * pidsPerSlice) \((slice + 1) * pidsPerSlice) \(domain)")
                if count != rows / Self.slices {
                    throw BenchError("the floor read \(count) rows, expected \(rows / Self.slices)")
                }
                return seconds
            })
    }

    /// W3: 1,000 published events; 8 hubs each try to claim every one. Returns throughput of
    /// claim attempts and the wins on each side (each must be exactly 1,000).
    func claim(
        hubs: Int = 8, count: Int = 1_000, pinned: Bool = false
    ) async throws -> (rates: Rates, projectWins: Int, baselineWins: Int) {
        try await db.seedHubs(hubs, prefix: "bench-hub-")
        var result = (rates: Rates(), projectWins: 0, baselineWins: 0)
        let tag = pinned ? "pinned-claim" : "claim"
        for round in 0..<rounds {
            for side in ["p", "b"] {
                try await db.seedClaimable((0..<count).map { "\(tag)-\(round)-\(side)-\($0)" })
            }
            let (baselineWon, baselineSeconds) = try await floor.run("claim \(hubs) \(count) \(tag)-\(round)-b-")
            let projectWins = Wins()
            let projectSeconds = try await Measure.seconds {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for hub in 0..<hubs {
                        group.addTask {
                            var won = 0
                            try await pin(pinned) {
                                for index in 0..<count
                                where try await db.published.updateEventPublishedToConsumedByHub(
                                    eventID: "\(tag)-\(round)-p-\(index)", hubID: "bench-hub-\(hub)")
                                {
                                    won += 1
                                }
                            }
                            projectWins.add(won)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let attempts = Double(hubs * count)
            result.rates.add(project: attempts / projectSeconds, baseline: attempts / baselineSeconds)
            result.projectWins = projectWins.total
            result.baselineWins = Int(baselineWon)
            if projectWins.total != count || baselineWon != count {
                throw BenchError(
                    "claims were not exact: project \(projectWins.total), baseline \(baselineWon) of \(count)")
            }
        }
        return result
    }

    /// W7: `count` published events delivered by `hubs` delivery loops
    /// (`EventflowDB.deliveries(hubID:policy:)`: read, claim under a lease on a pinned connection,
    /// stamp success), against the floor's W3 claims of as many events. Returns deliveries per
    /// second and the floor's claim statements per second (a delivery is at least two statements
    /// and a share of a read).
    func deliver(hubs: Int = 8, count: Int = 1_000) async throws -> Rates {
        try await db.seedHubs(hubs, prefix: "bench-hub-")
        var rates = Rates()
        let policy = DeliveryPolicy(lease: .seconds(30), maxAttempts: 3, batchSize: 100, pollInterval: .milliseconds(5))
        for round in 0..<rounds {
            try await db.seedClaimable((0..<count).map { "deliver-\(round)-b-\($0)" })
            let (_, baselineSeconds) = try await floor.run("claim \(hubs) \(count) deliver-\(round)-b-")
            // The floor's rows are claimed now; only this round's own rows are pending.
            try await db.seedClaimable((0..<count).map { "deliver-\(round)-p-\($0)" })
            let delivered = Wins()
            let seconds = try await Measure.seconds {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for hub in 0..<hubs {
                        group.addTask {
                            for try await delivery in db.deliveries(hubID: "bench-hub-\(hub)", policy: policy) {
                                if try await delivery.succeed() { delivered.add(1) }
                                if delivered.total >= count { break }
                            }
                        }
                    }
                    try await group.next()
                    // The first loop to see the last delivery ends; the others wait for work that
                    // is done.
                    group.cancelAll()
                    while let _ = try? await group.next() {}
                }
            }
            if delivered.total != count { throw BenchError("delivered \(delivered.total) of \(count)") }
            rates.add(project: Double(count) / seconds, baseline: Double(hubs * count) / baselineSeconds)
        }
        return rates
    }

    /// W6: 200,000 events of one pid, streamed back 1,000 at a time through `eventLog`. Returns
    /// the events streamed and the seconds the stream took.
    func stream(count: Int = 200_000) async throws -> (Int, Double) {
        for start in stride(from: 0, to: count, by: 500) {
            _ = try await db.events.persistEvents(
                (start..<min(start + 500, count)).map {
                    NewEvent(domain: "bench-stream", pid: "one", name: "n", data: ["n": .integer(Int64($0))])
                })
        }
        var streamed = 0
        let seconds = try await Measure.seconds {
            for try await _ in db.events.eventLog(domain: "bench-stream", pid: "one", pageSize: 1_000) { streamed += 1 }
        }
        guard streamed == count else { throw BenchError("streamed \(streamed) of \(count) events") }
        return (streamed, seconds)
    }

    /// W4: the W1 events through persistEvents, 500 per call, against the floor's array-bound
    /// bulk insert of 500 rows per statement, slice by slice.
    func batch() async throws -> Rates {
        let perSlice = events / Self.slices
        return try await interleaved(
            items: perSlice * Self.slices,
            project: { slice in
                let first = slice * perSlice
                for start in stride(from: first, to: first + perSlice, by: 500) {
                    _ = try await db.events.persistEvents(
                        (start..<min(start + 500, first + perSlice)).map { Self.event($0) })
                }
            },
            baseline: { slice in
                let (done, seconds) = try await floor.run("bulk \(slice * perSlice) \(perSlice) 500")
                if done != perSlice { throw BenchError("the floor bulk-persisted \(done) of \(perSlice)") }
                return seconds
            })
    }

    /// W5: W1 and W2 on the in-memory fakes.
    static func fakes(events: Int, rounds: Int) async throws -> (persist: Double, read: Double) {
        var best = (persist: 0.0, read: 0.0)
        for _ in 0..<rounds {
            let memory = EventflowDB.inMemory()
            let prepared = (0..<events).map { Self.event($0) }
            let persistSeconds = try await Measure.seconds {
                for event in prepared { _ = try await memory.events.persistEvent(event) }
            }
            var rows = 0
            let readSeconds = try await Measure.seconds {
                for _ in 0..<5 {
                    for pid in 0..<200 {
                        rows += try await memory.events.readEvents(domain: "bench", pid: "p\(pid)").count
                    }
                }
            }
            best.persist = max(best.persist, Double(events) / persistSeconds)
            best.read = max(best.read, Double(rows) / readSeconds)
        }
        return best
    }

    /// Runs `body` pinned to a connection when `pinned`, as is otherwise.
    private func pin(_ pinned: Bool, _ body: () async throws -> Void) async throws {
        if pinned { try await db.withPinnedConnection(body) } else { try await body() }
    }
}

/// A count shared by the project's concurrent hubs.
final class Wins: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = 0
    func add(_ value: Int) { lock.lock(); sum += value; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return sum }
}

/// Each round's rates of the project and of the floor.
struct Rates {
    private(set) var project: [Double] = []
    private(set) var baseline: [Double] = []

    mutating func add(project: Double, baseline: Double) {
        self.project.append(project)
        self.baseline.append(baseline)
    }

    /// Each round's ratio of the project's rate to the floor's.
    var ratios: [Double] { zip(project, baseline).map { $0 / $1 } }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

}

import EventflowDB
import EventflowDBInMemory
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// Eight hubs' delivery loops over 2,000 events with random failures: each event ends
/// succeeded once or dead-lettered once, attempts never above the maximum, nothing stuck.
@Suite("Delivery loops under random failures")
struct DeliveryStressTests {
    static let events = 2_000
    static let hubCount = 8
    static let maxAttempts = 3
    static let policy = DeliveryPolicy(
        lease: .seconds(30), maxAttempts: maxAttempts, backoff: .milliseconds(5), maxBackoff: .milliseconds(20),
        batchSize: 50, pollInterval: .milliseconds(10))

    /// What the hubs reported, per event.
    struct Tally {
        var claims: [String: Int] = [:]
        var succeeded: [String: Int] = [:]
        var deadLettered: [String: Int] = [:]
        var failures = 0
        var finished = 0
    }

    @Test("8 hubs, 10% failures, 3 attempts, 2,000 events, in memory: each event succeeds or dead-letters once")
    func inMemory() async throws {
        let db = EventflowDB.inMemory()
        try await db.setupTableSchemas()
        try await Self.run(backend: "memory", setup: db, hubs: Array(repeating: db, count: Self.hubCount))
    }

    @Test(
        "8 hub processes' pools, 10% failures, 3 attempts, 2,000 events, on MariaDB: each event succeeds or dead-letters once"
    )
    func onMariaDB() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_stress", poolSize: 4)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        var perHub = configuration
        perHub.poolSize = 2
        let hubs = (0..<Self.hubCount).map { _ in
            EventflowDB.mariaDB(configuration: perHub, logger: TestServer.logger)
        }
        do {
            try await Self.run(backend: "mariadb", setup: setup, hubs: hubs)
        } catch {
            for hub in hubs { try? await hub.close() }
            try? await setup.close()
            try? await TestServer.dropDatabase(configuration.database)
            throw error
        }
        for hub in hubs { try await hub.close() }
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    static func run(backend: String, setup: EventflowDB, hubs: [EventflowDB]) async throws {
        for index in 0..<hubCount { _ = try await setup.hubs.persistHub(hub(index)) }
        let publishStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for n in stride(from: writer, to: events, by: 8) {
                        _ = try await setup.publish(
                            NewEvent(id: String(format: "ev-%05d", n), domain: "stress", pid: "p-\(n % 97)", name: "e"),
                            publisher: "spoke")
                    }
                }
            }
            try await group.waitForAll()
        }
        let published = ContinuousClock.now - publishStart

        let tally = Tallies()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<hubCount {
                let db = hubs[index]
                group.addTask {
                    var random = SystemRandomNumberGenerator()
                    for try await delivery in db.deliveries(hubID: "hub-\(index)", policy: policy) {
                        let id = delivery.event.id
                        tally.withLock { $0.claims[id, default: 0] += 1 }
                        if Int.random(in: 0..<10, using: &random) == 0 {
                            let recorded = try await delivery.fail()
                            #expect(recorded, "the holder records its failure")
                            tally.withLock {
                                $0.failures += 1
                                if delivery.attempt >= maxAttempts {
                                    $0.deadLettered[id, default: 0] += 1
                                    $0.finished += 1
                                }
                            }
                        } else {
                            #expect(try await delivery.succeed(), "the holder records its success")
                            tally.withLock {
                                $0.succeeded[id, default: 0] += 1
                                $0.finished += 1
                            }
                        }
                        if tally.withLock({ $0.finished }) >= events { return }
                    }
                }
            }
            // Nothing may be stuck: a run that does not finish in five minutes fails.
            group.addTask {
                try await Task.sleep(for: .seconds(300))
                let stuck = tally.withLock { $0.finished }
                throw StressTimeout(description: "only \(stuck) of \(events) events finished in five minutes")
            }
            // Everything finished: the first hub to see it returns; the others are stopped.
            try await group.next()
            group.cancelAll()
            while let _ = try? await group.next() {}
        }
        let elapsed = ContinuousClock.now - start
        let result = tally.withLock { $0 }

        // Each event ended succeeded once or dead-lettered once, as the hubs and the rows say.
        #expect(result.finished == events)
        let now = Date().addingTimeInterval(1)
        var succeededRows = 0
        var deadRows = 0
        for page in stride(from: 0, to: events, by: 500) {
            for n in page..<min(page + 500, events) {
                let id = String(format: "ev-%05d", n)
                let row = try await setup.published.readEventPublished(eventID: id)
                let succeeded = result.succeeded[id] ?? 0
                let dead = result.deadLettered[id] ?? 0
                #expect(succeeded + dead == 1, "\(id): succeeded \(succeeded), dead-lettered \(dead)")
                #expect(row.attempts <= maxAttempts && row.attempts == result.claims[id], "\(id): attempts")
                switch row.state(at: now) {
                case .succeeded: succeededRows += 1
                case .deadLetter: deadRows += 1
                case let other: Issue.record("\(id) ended \(other)")
                }
                #expect((row.success != nil) == (succeeded == 1) && (row.failed != nil) == (dead == 1))
            }
        }
        // Nothing stuck: nothing pending, no claims held.
        #expect(try await setup.published.readEventsPublishedNotConsumed(publishedBefore: now, limit: 10).isEmpty)
        for index in 0..<hubCount {
            #expect(try await setup.published.readClaims(hubID: "hub-\(index)", limit: 10).isEmpty)
        }
        #expect(try await setup.published.readDeadLetters(limit: 10_000).count == deadRows)
        let claims = result.claims.values.reduce(0, +)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            """
            delivery stress [\(backend)]: \(events) events (published in \(published)), \(hubCount) hubs, \
            10% failures, max \(maxAttempts) attempts: \(succeededRows) succeeded, \(deadRows) dead letters, \
            \(claims) claims won, \(result.failures) failures, in \(elapsed) \
            (\(Int(Double(events) / seconds)) events/s)
            """)
    }

    struct StressTimeout: Error, CustomStringConvertible {
        let description: String
    }

    /// The tally, shared by the hubs' tasks.
    final class Tallies: Sendable {
        // The project's pthread lock: ThreadSanitizer follows it (it reported the futex-based
        // Mutex's guarded accesses as races).
        private let state = LockedState(Tally())

        func withLock<T: Sendable>(_ body: (inout Tally) -> T) -> T { state.withLock { body(&$0) } }
    }

    static func hub(_ index: Int) -> NewHub {
        NewHub(
            id: "hub-\(index)", externalIP: "10.0.0.\(index + 1)", externalPort: 50_001,
            internalIP: "10.0.0.\(index + 1)",
            internalPort: 50_001)
    }
}

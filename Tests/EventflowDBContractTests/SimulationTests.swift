import EventflowDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// The project's own scenario under many seeds, on the fakes and on MariaDB through the same
/// fault plans: spokes publish, two hubs claim and deliver with failures, leases expire, and at
/// the end every acknowledged event is stored once and ended succeeded or dead-lettered, with
/// attempts never above the maximum and nothing stuck.
@Suite("Simulation: publish and deliver under seeded faults")
struct SimulationTests {
    static let maxAttempts = 3
    static let events = 8

    @Test("1,000 seeds on the fakes")
    func fakes() async throws {
        let started = ContinuousClock.now
        let summary = try await Simulation.run(seeds: 0..<1_000, probability: 0.15) { clock in
            try await ContractBackend.memory.makeDatabase(clock: clock)
        } scenario: { run in
            try await Self.scenario(run)
        }
        print("simulation on the fakes: \(summary.runs) seeds in \(ContinuousClock.now - started)")
        print(summary.coverageTable)
        #expect(summary.failures.isEmpty, "\(summary.failures.prefix(5))")
        Self.expectCoverage(summary)
        // The same seed replays the same faults.
        let again = try await Simulation.run(seeds: [42], probability: 0.15) { clock in
            try await ContractBackend.memory.makeDatabase(clock: clock)
        } scenario: { run in
            try await Self.scenario(run)
        }
        #expect(again.traces[42] == summary.traces[42])
    }

    @Test("50 seeds on MariaDB, through the same plans, with the same traces as on the fakes")
    func mariadb() async throws {
        let started = ContinuousClock.now
        let summary = try await Simulation.run(seeds: 0..<50, probability: 0.15) { clock in
            try await TestBackend.mariadb.makeDatabase(clock: clock)
        } scenario: { run in
            try await Self.scenario(run)
        }
        print("simulation on MariaDB: \(summary.runs) seeds in \(ContinuousClock.now - started)")
        print(summary.coverageTable)
        #expect(summary.failures.isEmpty, "\(summary.failures.prefix(5))")
        // The fakes and MariaDB strike the same calls for a seed whose run took the same path.
        let fakes = try await Simulation.run(seeds: 0..<50, probability: 0.15) { clock in
            try await ContractBackend.memory.makeDatabase(clock: clock)
        } scenario: { run in
            try await Self.scenario(run)
        }
        let same = (0..<50 as Range<UInt64>).filter { summary.traces[$0] == fakes.traces[$0] }.count
        print("simulation: \(same) of 50 seeds gave the same trace on the fakes and on MariaDB")
        #expect(same == 50)
    }

    @Test("a hub that treats a claim whose reply was lost as lost is caught by a script and by a seed that replays")
    func brokenHubIsCaught() async throws {
        // The script: the first claim loses its reply after it applied.
        let correct = try await Self.scripted(brokenHub: false)
        let broken = try await Self.scripted(brokenHub: true)
        #expect(correct.isEmpty, "\(correct)")
        #expect(broken.contains { $0.contains("counted") }, "\(broken)")

        // Seeds: some seed catches it, and that seed fails the same way again.
        let seeded = try await Simulation.run(seeds: 0..<200, probability: 0.15) { clock in
            try await ContractBackend.memory.makeDatabase(clock: clock)
        } scenario: { run in
            try await Self.scenario(run, brokenHub: true)
        }
        let failure = try #require(seeded.failures.first)
        print("the broken hub is caught by \(seeded.failures.count) of 200 seeds, first \(failure)")
        let replay = try await Simulation.run(seeds: [failure.seed], probability: 0.15) { clock in
            try await ContractBackend.memory.makeDatabase(clock: clock)
        } scenario: { run in
            try await Self.scenario(run, brokenHub: true)
        }
        #expect(replay.failures.first?.violations == failure.violations)
        #expect(replay.traces[failure.seed] == failure.traceHash)
    }

    /// The scenario once, with only the first claim's reply lost.
    static func scripted(brokenHub: Bool) async throws -> [String] {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let database = try await ContractBackend.memory.makeDatabase(clock: clock)
        let plan = FaultPlan.script([Fault(.lostReply, at: .afterApply, on: .claim, occurrence: 1)])
        let run = Simulation.Run(seed: 0, db: plan.wrap(database.db), base: database.db, plan: plan, clock: clock)
        let broken = try await scenario(run, brokenHub: brokenHub)
        #expect(plan.injected.count == 1)
        try await database.teardown()
        return broken
    }

    /// Every kind struck at every point it can strike somewhere.
    static func expectCoverage(_ summary: Simulation.Summary) {
        for kind in FaultKind.all {
            for point in FaultPoint.allCases {
                #expect(
                    summary.injected.contains { $0.kind == kind && $0.point == point },
                    "\(kind) at \(point) never struck")
            }
        }
    }

    /// Spokes publish with retries; hubs claim and deliver (a fifth of deliveries fail) until
    /// nothing is left, time moving past leases and back-offs between rounds.
    static func scenario(_ run: Simulation.Run, brokenHub: Bool = false) async throws -> [String] {
        var random = run.random
        var delivered: [String: Int] = [:]  // deliveries the hubs made, by event
        _ = try await run.base.hubs.persistHub(
            NewHub(id: "hub-a", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 1))
        _ = try await run.base.hubs.persistHub(
            NewHub(id: "hub-b", externalIP: "10.0.0.2", externalPort: 2, internalIP: "10.0.0.2", internalPort: 2))

        // Spokes: a publish that fails is tried again with the id the error carries.
        var acknowledged: [String] = []
        for n in 0..<events {
            var event = NewEvent(
                id: "sim-\(n)", domain: "sim", pid: "p\(n)", name: "placed", data: ["n": .string("\(n)")])
            for _ in 0..<20 {
                do {
                    acknowledged.append(try await run.db.publish(event, publisher: "spoke"))
                    break
                } catch let error as EventflowDBError {
                    event.id = error.eventIDs.first ?? event.id
                }
            }
        }

        // Hubs: rounds of claim and deliver; a fault makes the hub give up on that event for the
        // round (its lease, if it won, expires and the event comes back).
        for _ in 0..<60 {
            run.clock.advance(by: 31)
            let now = run.clock.now().addingTimeInterval(1)
            guard
                let pending = try? await run.db.published.readEventsPublishedNotConsumed(
                    publishedBefore: now, limit: 100)
            else { continue }
            let open = try await run.base.published.readEventsPublishedNotConsumed(publishedBefore: now, limit: 100)
            if open.isEmpty && pending.isEmpty { break }
            for delivery in pending {
                let hub = random.next() % 2 == 0 ? "hub-a" : "hub-b"
                if delivery.attempts >= maxAttempts {
                    _ = try? await run.db.published.exhaustDelivery(eventID: delivery.eventID, maxAttempts: maxAttempts)
                    continue
                }
                let won: Bool
                do {
                    won = try await run.db.published.claimDelivery(
                        eventID: delivery.eventID, hubID: hub, lease: .seconds(30), maxAttempts: maxAttempts)
                } catch let error as EventflowDBError where error.isOutcomeUnknown && !brokenHub {
                    // Did it win? Its own claims say (asked until they answer).
                    var mine: [EventPublished]?
                    for _ in 0..<50 where mine == nil {
                        mine = try? await run.db.published.readClaims(hubID: hub, limit: 100)
                    }
                    won = mine?.contains { $0.eventID == delivery.eventID } ?? false
                } catch {
                    continue
                }
                guard won else { continue }
                delivered[delivery.eventID, default: 0] += 1
                if random.nextUnit() < 0.2 {
                    _ = try? await run.db.published.failDelivery(
                        eventID: delivery.eventID, hubID: hub, maxAttempts: maxAttempts, retryAfter: .seconds(5))
                } else {
                    _ = try? await run.db.published.succeedDelivery(eventID: delivery.eventID, hubID: hub)
                }
            }
        }

        // Invariants, read without faults.
        var broken: [String] = []
        let now = run.clock.now()
        for id in acknowledged {
            let stored = try await run.base.events.readEvents(
                domain: "sim", pid: "p\(acknowledged.firstIndex(of: id)!)")
            if stored.count != 1 { broken.append("\(id) stored \(stored.count) times") }
            let delivery = try await run.base.published.readEventPublished(eventID: id)
            if delivery.attempts > maxAttempts { broken.append("\(id) attempted \(delivery.attempts) times") }
            // Every attempt counted is a delivery a hub made: none wasted on a claim it lost track of.
            if delivery.attempts != delivered[id, default: 0] {
                broken.append("\(id) counted \(delivery.attempts) attempts for \(delivered[id, default: 0]) deliveries")
            }
            switch delivery.state(at: now) {
            case .succeeded, .deadLetter: break
            case let state: broken.append("\(id) stuck: \(state)")
            }
        }
        if acknowledged.count != events { broken.append("\(events - acknowledged.count) publishes never acknowledged") }
        return broken
    }
}

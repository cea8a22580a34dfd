public import EventflowDB
import Foundation

/// Runs a scenario (spokes publishing, hubs claiming and delivering, a restart, a retention
/// run: whatever your service does) under many seeds, each on a fresh database wrapped in a
/// seeded ``FaultPlan`` and driven by a ``/EventflowDB/ManualClock``, and collects the
/// invariants each run broke.
///
/// A failing seed is named in ``Simulation/Failure`` with its trace hash; run
/// ``run(seeds:probability:kinds:points:operations:makeDatabase:scenario:)`` again with only
/// that seed to replay it: the same seed gives the same faults, so the same trace.
///
/// ```swift
/// let summary = try await Simulation.run(seeds: 0..<1_000, probability: 0.1) { clock in
///     try await ContractBackend.memory.makeDatabase(clock: clock)
/// } scenario: { run in
///     // publish, claim, deliver through run.db; check invariants through run.base
///     return []  // the invariants this run broke, as sentences
/// }
/// #expect(summary.failures.isEmpty, "\(summary.failures)")
/// ```
public enum Simulation {
    /// One run: the database under faults, the same database without them (to check
    /// invariants), its plan and its clock.
    public struct Run: Sendable {
        public let seed: UInt64
        /// The database with the plan's faults: the code under test uses this one.
        public let db: EventflowDB
        /// The same database without faults: invariants are checked through this one.
        public let base: EventflowDB
        public let plan: FaultPlan
        public let clock: ManualClock

        /// A run of a scenario outside ``Simulation/run(seeds:probability:kinds:points:operations:makeDatabase:scenario:)``:
        /// with a scripted plan, say.
        public init(seed: UInt64, db: EventflowDB, base: EventflowDB, plan: FaultPlan, clock: ManualClock) {
            self.seed = seed
            self.db = db
            self.base = base
            self.plan = plan
            self.clock = clock
        }
        /// A generator seeded by the run's seed, for the scenario's own choices.
        public var random: SeededGenerator { SeededGenerator(seed: seed &* 0x2545_F491_4F6C_DD1D) }
    }

    /// A run that broke invariants, or threw.
    public struct Failure: Sendable, CustomStringConvertible {
        public let seed: UInt64
        public let traceHash: UInt64
        public let violations: [String]
        public var description: String {
            "seed \(seed) (trace \(String(traceHash, radix: 16))): " + violations.joined(separator: "; ")
        }
    }

    /// What the runs did.
    public struct Summary: Sendable {
        /// How many seeds ran.
        public var runs = 0
        /// The seeds that failed, in order.
        public var failures: [Failure] = []
        /// Every fault injected, over all runs.
        public var injected: [Fault] = []
        /// The trace hash of each seed.
        public var traces: [UInt64: UInt64] = [:]

        /// The coverage of all runs: each operation × kind, with the points at which it struck.
        public var coverageTable: String {
            FaultPlan.coverageTable(of: injected)
        }
    }

    /// Runs `scenario` once per seed.
    ///
    /// - Parameters:
    ///   - seeds: The seeds; print a failing one and pass it alone to replay it.
    ///   - probability: The chance that a call fails.
    ///   - kinds: The fault kinds to choose from.
    ///   - points: The points to strike at.
    ///   - operations: Only these operations; nil for every one.
    ///   - makeDatabase: A fresh, empty, migrated database reading time from the clock, and how
    ///     to throw it away (``ContractBackend/makeDatabase(clock:)`` makes one of each backend).
    ///   - scenario: The run; returns the invariants it found broken, as sentences.
    public static func run(
        seeds: some Sequence<UInt64>, probability: Double, kinds: [FaultKind] = FaultKind.all,
        points: [FaultPoint] = FaultPoint.allCases, operations: Set<FaultOperation>? = nil,
        makeDatabase: @Sendable (ManualClock) async throws -> ContractDatabase,
        scenario: @Sendable (Run) async throws -> [String]
    ) async throws -> Summary {
        var summary = Summary()
        for seed in seeds {
            let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
            let database = try await makeDatabase(clock)
            let base = database.db
            let plan = FaultPlan.seeded(
                seed, probability: probability, kinds: kinds, points: points, operations: operations)
            let run = Run(seed: seed, db: plan.wrap(base), base: base, plan: plan, clock: clock)
            var violations: [String]
            do {
                violations = try await scenario(run)
            } catch {
                violations = ["the scenario threw \(error)"]
            }
            try? await database.teardown()
            summary.runs += 1
            summary.injected += plan.injected
            summary.traces[seed] = plan.traceHash
            if !violations.isEmpty {
                summary.failures.append(Failure(seed: seed, traceHash: plan.traceHash, violations: violations))
            }
        }
        return summary
    }
}

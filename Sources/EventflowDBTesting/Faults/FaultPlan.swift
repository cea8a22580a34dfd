import EventflowDB

/// Makes the database misbehave on purpose, the same way on the in-memory store and on
/// MariaDB, so a hub's tests cover its failure paths: a claim whose reply was lost, a publish
/// whose outcome is unknown, a deadlock, a dropped connection, a slow statement.
///
/// A plan is a script ("the 3rd persist loses its reply, then nothing") or a seed with a
/// probability. ``wrap(_:)`` gives a database whose operations consult the plan; every fault it
/// injects is recorded in ``injected``, and ``traceHash`` identifies the run, so a failing seed
/// printed by a test replays the same faults.
///
/// ```swift
/// let plan = FaultPlan.script([Fault(.lostReply, at: .afterApply, on: .persistEvents)])
/// let db = plan.wrap(EventflowDB.inMemory())
/// do {
///     _ = try await db.events.persistEvent(NewEvent(id: "e-1", domain: "d", pid: "p", name: "n"))
/// } catch let error as EventflowDBError where error.isOutcomeUnknown {
///     _ = try await db.events.persistEvent(NewEvent(id: "e-1", domain: "d", pid: "p", name: "n"))  // stored once
/// }
/// ```
///
/// A seeded plan decides each call from the seed, the operation and the call's number, not
/// from the order in which concurrent tasks reach it, so a run's faults depend only on how
/// often each operation was called.
public final class FaultPlan: Sendable {
    enum Mode: Sendable {
        case script([Fault])
        case seeded(
            seed: UInt64, probability: Double, kinds: [FaultKind], points: [FaultPoint], only: Set<FaultOperation>?)
    }

    struct State {
        var calls: [FaultOperation: Int] = [:]
        var injected: [Fault] = []
    }

    let mode: Mode
    private let state = LockedState(State())

    init(_ mode: Mode) {
        self.mode = mode
    }

    /// A plan that injects exactly these faults.
    public static func script(_ faults: [Fault]) -> FaultPlan {
        FaultPlan(.script(faults))
    }

    /// A plan that strikes each call with `probability` (0–1), choosing the kind and point from
    /// the seed.
    ///
    /// - Parameters:
    ///   - seed: Print it when a test fails; the same seed gives the same faults.
    ///   - probability: The chance that a call fails.
    ///   - kinds: The kinds to choose from.
    ///   - points: The points to choose from.
    ///   - operations: Only these operations; nil for every one.
    public static func seeded(
        _ seed: UInt64, probability: Double, kinds: [FaultKind] = FaultKind.all,
        points: [FaultPoint] = FaultPoint.allCases, operations: Set<FaultOperation>? = nil
    ) -> FaultPlan {
        precondition((0...1).contains(probability), "a probability is between 0 and 1")
        precondition(!kinds.isEmpty && !points.isEmpty, "a seeded plan needs kinds and points to choose from")
        return FaultPlan(.seeded(seed: seed, probability: probability, kinds: kinds, points: points, only: operations))
    }

    /// The fault for the next call of `operation`, if any, recorded as injected.
    func decide(_ operation: FaultOperation) -> (point: FaultPoint, kind: FaultKind)? {
        state.withLock { state in
            let occurrence = state.calls[operation, default: 0] + 1
            state.calls[operation] = occurrence
            let fault: Fault?
            switch mode {
            case .script(let faults):
                fault = faults.first { $0.operation == operation && $0.occurrence == occurrence }
            case .seeded(let seed, let probability, let kinds, let points, let only):
                if let only, !only.contains(operation) { return nil }
                var generator = SeededGenerator(
                    seed: seed ^ Self.hash(operation.rawValue) ^ UInt64(occurrence) &* 0x9E37)
                guard generator.nextUnit() < probability else { return nil }
                let kind = kinds[Int(generator.next() % UInt64(kinds.count))]
                let point = points[Int(generator.next() % UInt64(points.count))]
                fault = Fault(kind, at: point, on: operation, occurrence: occurrence)
            }
            guard let fault else { return nil }
            state.injected.append(fault)
            return (fault.point, fault.kind)
        }
    }

    /// Every fault injected so far, in the order they struck.
    public var injected: [Fault] {
        state.withLock { $0.injected }
    }

    /// How often each operation was called through the plan.
    public var calls: [FaultOperation: Int] {
        state.withLock { $0.calls }
    }

    /// A fingerprint of the faults injected (sorted, so concurrent runs that struck the same
    /// calls agree): print it with the seed; the same seed and scenario give the same hash.
    public var traceHash: UInt64 {
        injected.map(\.description).sorted().reduce(0xcbf2_9ce4_8422_2325) { hash, line in
            Self.hash(line, from: hash)
        }
    }

    /// A table of the faults injected: one row per operation, one column per kind, each cell
    /// the points at which that kind struck that operation.
    public func coverageTable() -> String {
        let injected = self.injected
        let kinds = Array(Set(injected.map(\.kind.name))).sorted()
        let operations = Array(Set(injected.map(\.operation))).sorted()
        var lines = ["operation | " + kinds.joined(separator: " | ")]
        for operation in operations {
            let cells = kinds.map { kind in
                let points = Set(injected.filter { $0.operation == operation && $0.kind.name == kind }.map(\.point))
                return points.isEmpty ? "-" : points.sorted().map(\.rawValue).joined(separator: ",")
            }
            lines.append("\(operation) | " + cells.joined(separator: " | "))
        }
        return lines.joined(separator: "\n")
    }

    /// Runs `body` (one call of `operation`, whose failures have `code` and carry `eventIDs`)
    /// under the plan.
    func run<T: Sendable>(
        _ operation: FaultOperation, _ code: EventflowDBError.Code, eventIDs: [String] = [],
        _ body: () async throws -> T
    ) async throws -> T {
        guard let (point, kind) = decide(operation) else { return try await body() }
        if case .latency(let delay) = kind { try await Task.sleep(for: delay) }
        var error = kind.error(at: point, code: code)
        error?.eventIDs = eventIDs
        guard kind.applies(at: point) else { throw error! }
        let result = try await body()
        if let error { throw error }
        return result
    }

    static func hash(_ text: String, from start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        text.utf8.reduce(start) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

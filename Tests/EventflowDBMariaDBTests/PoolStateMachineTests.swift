import Testing

@testable import EventflowDBMariaDB

/// The pool's decisions without a server: ``PoolStateMachine`` driven by mock connections and a
/// mock clock. Every invariant the pool documents is checked after every event.
@Suite("Driver: pool state machine")
struct PoolStateMachineTests {
    /// A connection the machine lends: just a number.
    struct MockConnection: Equatable, Hashable, CustomStringConvertible {
        let id: Int
        var description: String { "c\(id)" }
    }

    /// A point in mock time: ticks, advanced by the test.
    struct MockInstant: Comparable, Hashable {
        var ticks: Int
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.ticks < rhs.ticks }
        static func + (lhs: Self, ticks: Int) -> Self { MockInstant(ticks: lhs.ticks + ticks) }
    }

    typealias Machine = PoolStateMachine<MockConnection, MockInstant>
    typealias Action = Machine.Action

    static let c1 = MockConnection(id: 1)
    static let c2 = MockConnection(id: 2)
    static let t0 = MockInstant(ticks: 0)

    /// A pool of `size` with `connections` opened and returned (idle, the last one lent first).
    static func pool(size: Int, idle connections: [MockConnection] = []) -> Machine {
        var machine = Machine(poolSize: size)
        for (index, _) in connections.enumerated() {
            expect(machine.acquire(UInt64(1_000 + index), deadline: t0), [.openConnection(for: UInt64(1_000 + index))])
        }
        for connection in connections { expect(machine.released(connection), []) }
        return machine
    }

    /// `#expect` cannot take a mutating call: the machine's answer is compared here.
    static func expect<T: Equatable>(
        _ actual: T, _ expected: T, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual == expected, comment, sourceLocation: sourceLocation)
    }

    func expect<T: Equatable>(
        _ actual: T, _ expected: T, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        Self.expect(actual, expected, comment, sourceLocation: sourceLocation)
    }

    @Test("an idle connection is lent before a new one is opened, the most recently returned first")
    func lendsIdleFirst() {
        var machine = Self.pool(size: 3, idle: [Self.c1, Self.c2])
        expect(machine.acquire(1, deadline: Self.t0 + 10), [.lend(Self.c2, to: 1)])
        expect(machine.acquire(2, deadline: Self.t0 + 10), [.lend(Self.c1, to: 2)])
        expect(machine.acquire(3, deadline: Self.t0 + 10), [.openConnection(for: 3)])
        #expect(machine.counts == (open: 3, lent: 3, waiting: 0))
        #expect(machine.invariantViolations.isEmpty)
    }

    @Test("a caller waits only when every slot is lent, registered with its deadline in the same step")
    func waitsWhenFull() {
        var machine = Self.pool(size: 1)
        expect(machine.acquire(1, deadline: Self.t0 + 10), [.openConnection(for: 1)])
        expect(machine.acquire(2, deadline: Self.t0 + 10), [.scheduleTimer(2, deadline: Self.t0 + 10)])
        #expect(machine.waiterIDs == [2])
        #expect(machine.invariantViolations.isEmpty)
    }

    @Test("a returned connection goes to the first waiter, whose timer is cancelled")
    func releaseServesFirstWaiter() {
        var machine = Self.pool(size: 1)
        _ = machine.acquire(1, deadline: Self.t0 + 10)
        _ = machine.acquire(2, deadline: Self.t0 + 10)
        _ = machine.acquire(3, deadline: Self.t0 + 10)
        expect(machine.released(Self.c1), [.cancelTimer(2), .lend(Self.c1, to: 2)])
        #expect(machine.waiterIDs == [3])
        #expect(machine.counts == (open: 1, lent: 1, waiting: 1))
        expect(machine.released(Self.c1), [.cancelTimer(3), .lend(Self.c1, to: 3)])
        expect(machine.released(Self.c1), [])
        #expect(machine.idle == [Self.c1])
    }

    @Test("a waiter whose deadline passed is failed with a timeout; one whose deadline is later keeps waiting")
    func timeout() {
        var machine = Self.pool(size: 1)
        _ = machine.acquire(1, deadline: Self.t0 + 10)
        _ = machine.acquire(2, deadline: Self.t0 + 5)
        _ = machine.acquire(3, deadline: Self.t0 + 8)
        expect(machine.deadlinesPassed(now: Self.t0 + 4), [])
        expect(machine.deadlinesPassed(now: Self.t0 + 5), [.cancelTimer(2), .fail(2, .timeout)])
        #expect(machine.waiterIDs == [3])
        expect(machine.deadlinesPassed(now: Self.t0 + 9), [.cancelTimer(3), .fail(3, .timeout)])
        #expect(machine.invariantViolations.isEmpty)
    }

    @Test("a cancelled waiter is failed at once; cancelling one already served does nothing")
    func cancellation() {
        var machine = Self.pool(size: 1)
        _ = machine.acquire(1, deadline: Self.t0 + 10)
        _ = machine.acquire(2, deadline: Self.t0 + 10)
        _ = machine.acquire(3, deadline: Self.t0 + 10)
        expect(machine.cancelled(2), [.cancelTimer(2), .fail(2, .cancelled)])
        expect(machine.cancelled(1), [], "served: its cancellation is its own business")
        expect(machine.cancelled(2), [], "failed already")
        expect(machine.released(Self.c1), [.cancelTimer(3), .lend(Self.c1, to: 3)])
    }

    @Test("a slot freed by a failed open goes to the next waiter, who opens in it")
    func failedOpenPassesSlotOn() {
        var machine = Self.pool(size: 1)
        _ = machine.acquire(1, deadline: Self.t0 + 10)
        _ = machine.acquire(2, deadline: Self.t0 + 10)
        expect(machine.openFailed(), [.cancelTimer(2), .openConnection(for: 2)])
        #expect(machine.counts == (open: 1, lent: 1, waiting: 0))
        expect(machine.openFailed(), [])
        #expect(machine.counts == (open: 0, lent: 0, waiting: 0))
    }

    @Test("a broken connection, once closed, frees its slot for the next waiter")
    func brokenConnectionFreesSlot() {
        var machine = Self.pool(size: 1, idle: [Self.c1])
        expect(machine.acquire(1, deadline: Self.t0 + 10), [.lend(Self.c1, to: 1)])
        _ = machine.acquire(2, deadline: Self.t0 + 10)
        // The runner closed c1 (it came back broken), then reports the slot free.
        expect(machine.slotFreed(), [.cancelTimer(2), .openConnection(for: 2)])
        #expect(!machine.idle.contains(Self.c1))
        #expect(machine.invariantViolations.isEmpty)
    }

    @Test("close fails waiters and later callers, closes idle connections, and drains when the last lent one is back")
    func closeDrains() {
        var machine = Self.pool(size: 2, idle: [Self.c1, Self.c2])
        _ = machine.acquire(1, deadline: Self.t0 + 10)  // c2
        _ = machine.acquire(2, deadline: Self.t0 + 10)  // c1
        _ = machine.acquire(3, deadline: Self.t0 + 10)
        expect(machine.released(Self.c1), [.cancelTimer(3), .lend(Self.c1, to: 3)])
        expect(machine.acquire(4, deadline: Self.t0 + 10), [.scheduleTimer(4, deadline: Self.t0 + 10)])
        expect(machine.closeRequested(), [.cancelTimer(4), .fail(4, .closed)])
        #expect(!machine.isDrained)
        expect(machine.acquire(5, deadline: Self.t0 + 10), [.fail(5, .closed)])
        expect(machine.released(Self.c2), [.closeConnection(Self.c2)])
        expect(machine.released(Self.c1), [.closeConnection(Self.c1), .resumeDrainWaiters])
        #expect(machine.isDrained)
        #expect(machine.invariantViolations.isEmpty)
    }

    @Test("closing a pool with nothing lent closes the idle connections and drains at once")
    func closeIdle() {
        var machine = Self.pool(size: 2, idle: [Self.c1, Self.c2])
        expect(machine.closeRequested(), [.closeConnection(Self.c1), .closeConnection(Self.c2), .resumeDrainWaiters])
        #expect(machine.counts == (open: 0, lent: 0, waiting: 0))
    }

    @Test("a slot being opened when the pool closes drains the pool when the open fails")
    func closeWhileOpening() {
        var machine = Self.pool(size: 1)
        _ = machine.acquire(1, deadline: Self.t0 + 10)
        expect(machine.closeRequested(), [])
        expect(machine.openFailed(), [.resumeDrainWaiters])
    }

    @Test("the health check takes only an idle connection; returned, it serves the waiter who came meanwhile")
    func healthCheck() {
        var machine = Self.pool(size: 1, idle: [Self.c1])
        expect(machine.takeForHealthCheck(Self.c1), true)
        expect(machine.takeForHealthCheck(Self.c1), false, "taken already")
        expect(machine.acquire(1, deadline: Self.t0 + 10), [.scheduleTimer(1, deadline: Self.t0 + 10)])
        expect(machine.released(Self.c1), [.cancelTimer(1), .lend(Self.c1, to: 1)])
        expect(machine.takeForHealthCheck(Self.c1), false, "lent: whoever has it finds out whether it answers")
    }

    @Test("a dead connection found by the health check frees its slot for the next waiter")
    func healthCheckDrops() {
        var machine = Self.pool(size: 1, idle: [Self.c1])
        expect(machine.takeForHealthCheck(Self.c1), true)
        _ = machine.acquire(1, deadline: Self.t0 + 10)
        expect(machine.slotFreed(), [.cancelTimer(1), .openConnection(for: 1)])
    }

    // MARK: Random interleavings

    @Test("thousands of random events keep every invariant after every step", arguments: 1...8 as ClosedRange<UInt64>)
    func randomInterleavings(seed: UInt64) {
        var simulation = Simulation(seed: seed, poolSize: Int(seed % 4) + 1)
        for step in 0..<3_000 {
            simulation.step()
            let problems = simulation.problems
            #expect(problems.isEmpty, "seed \(seed), step \(step), after \(simulation.lastEvent): \(problems)")
            if !problems.isEmpty { return }
        }
        // The events that matter happened: lending, timeouts, and closed pools drained.
        #expect(simulation.served > 200, "seed \(seed)")
        #expect(simulation.timeouts > 0, "seed \(seed)")
        #expect(simulation.drains > 0, "seed \(seed)")
    }
}

/// SplitMix64: a small deterministic generator, so a failing seed replays.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The runner's side, modelled: who holds what, who waits, which timers run. Each event is fed to
/// the machine and its actions applied to the model, checking each is allowed.
struct Simulation {
    typealias Machine = PoolStateMachineTests.Machine
    typealias Connection = PoolStateMachineTests.MockConnection

    var random: SplitMix64
    var machine: Machine
    var now = PoolStateMachineTests.t0
    var nextWaiter: UInt64 = 0
    var nextConnection = 0
    /// Callers queued, in order, with their deadlines.
    var waiting: [(id: UInt64, deadline: PoolStateMachineTests.MockInstant)] = []
    var timers: Set<UInt64> = []
    /// Connections lent, by who holds them.
    var holders: [UInt64: Connection] = [:]
    /// Callers given a slot, opening a connection in it.
    var openers: [UInt64] = []
    /// Connections the health check holds.
    var checking: [Connection] = []
    var closedConnections: Set<Connection> = []
    var closeRequested = false
    var drainResumed = 0
    var served = 0
    var timeouts = 0
    var drains = 0
    var lastEvent = "start"
    var problems: [String] = []

    init(seed: UInt64, poolSize: Int) {
        random = SplitMix64(state: seed)
        machine = Machine(poolSize: poolSize)
    }

    mutating func roll(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func step() {
        let choice = roll(0...99)
        switch choice {
        case 0..<30: acquire()
        case 30..<48: releaseHealthy()
        case 48..<54: releaseBroken()
        case 54..<66: finishOpen()
        case 66..<72: cancel()
        case 72..<84: advanceClock()
        case 84..<90: healthCheckTake()
        case 90..<94: healthCheckReturn()
        case 94..<97: staleOnLend()
        case 97: if roll(0...4) == 0 { close() } else { acquire() }
        default: cancelServed()
        }
        if closeRequested && machine.isDrained && holders.isEmpty && openers.isEmpty && checking.isEmpty {
            restart()
        }
        checkInvariants()
    }

    // MARK: Events

    mutating func acquire() {
        nextWaiter += 1
        let id = nextWaiter
        let deadline = now + roll(1...20)
        lastEvent = "acquire(\(id))"
        let actions = machine.acquire(id, deadline: deadline)
        // What the runner does: the continuation is registered with the decision.
        if actions.contains(where: { if case .scheduleTimer = $0 { true } else { false } }) {
            waiting.append((id, deadline))
        }
        apply(actions, expectingWaiter: id)
    }

    mutating func releaseHealthy() {
        guard let id = holders.keys.sorted().randomElement(using: &random) else { return }
        let connection = holders.removeValue(forKey: id)!
        lastEvent = "released(\(connection)) by \(id)"
        apply(machine.released(connection))
    }

    mutating func releaseBroken() {
        guard let id = holders.keys.sorted().randomElement(using: &random) else { return }
        let connection = holders.removeValue(forKey: id)!
        lastEvent = "broken(\(connection)) by \(id)"
        closedConnections.insert(connection)  // the runner closes it, then frees the slot
        apply(machine.slotFreed())
    }

    mutating func finishOpen() {
        guard !openers.isEmpty else { return }
        let id = openers.remove(at: roll(0...openers.count - 1))
        switch roll(0...3) {
        case 0:
            lastEvent = "openFailed for \(id)"
            apply(machine.openFailed())
        case 1:
            // The caller was cancelled while its connection was made: it goes back to the pool.
            nextConnection += 1
            lastEvent = "opened c\(nextConnection) for cancelled \(id)"
            apply(machine.released(Connection(id: nextConnection)))
        default:
            nextConnection += 1
            lastEvent = "opened c\(nextConnection) for \(id)"
            holders[id] = Connection(id: nextConnection)
            served += 1
        }
    }

    mutating func cancel() {
        guard let waiter = waiting.randomElement(using: &random) else { return }
        lastEvent = "cancelled(\(waiter.id))"
        let actions = machine.cancelled(waiter.id)
        if actions != [.cancelTimer(waiter.id), .fail(waiter.id, .cancelled)] {
            problems.append("a cancelled waiter was not failed at once: \(actions)")
        }
        apply(actions)
    }

    mutating func cancelServed() {
        guard let id = holders.keys.sorted().randomElement(using: &random) else { return }
        lastEvent = "cancelled served \(id)"
        let actions = machine.cancelled(id)
        if !actions.isEmpty { problems.append("cancelling a served caller did \(actions)") }
    }

    mutating func advanceClock() {
        now = now + roll(0...6)
        lastEvent = "deadlinesPassed(\(now.ticks))"
        apply(machine.deadlinesPassed(now: now))
        if let late = waiting.first(where: { $0.deadline <= now }) {
            problems.append("waiter \(late.id) still waits after its deadline")
        }
    }

    mutating func healthCheckTake() {
        guard let connection = machine.idle.randomElement(using: &random) else { return }
        lastEvent = "health check takes \(connection)"
        if machine.takeForHealthCheck(connection) {
            checking.append(connection)
        } else {
            problems.append("the health check could not take an idle connection")
        }
    }

    mutating func healthCheckReturn() {
        guard !checking.isEmpty else { return }
        let connection = checking.remove(at: roll(0...checking.count - 1))
        if roll(0...2) == 0 {
            lastEvent = "health check drops \(connection)"
            closedConnections.insert(connection)
            apply(machine.slotFreed())
        } else {
            lastEvent = "health check returns \(connection)"
            apply(machine.released(connection))
        }
    }

    /// A lent connection the runner finds dead before handing it over: closed, and the caller
    /// opens a new one in the same slot (no event for the machine).
    mutating func staleOnLend() {
        guard let id = holders.keys.sorted().randomElement(using: &random) else { return }
        let connection = holders.removeValue(forKey: id)!
        lastEvent = "stale \(connection) for \(id)"
        closedConnections.insert(connection)
        openers.append(id)
    }

    mutating func close() {
        lastEvent = "close"
        closeRequested = true
        apply(machine.closeRequested())
    }

    /// A new pool once the closed one drained, to go on exercising.
    mutating func restart() {
        if drainResumed != 1 { problems.append("the drain was signalled \(drainResumed) times") }
        drains += 1
        machine = Machine(poolSize: machine.poolSize)
        closeRequested = false
        drainResumed = 0
    }

    // MARK: Actions

    mutating func apply(_ actions: [Machine.Action], expectingWaiter acquiring: UInt64? = nil) {
        for action in actions {
            switch action {
            case .lend(let connection, let id):
                take(id, acquiring: acquiring)
                if holders.values.contains(connection) || checking.contains(connection) {
                    problems.append("\(connection) lent while in use")
                }
                if closedConnections.contains(connection) { problems.append("closed \(connection) lent") }
                holders[id] = connection
                served += 1
            case .openConnection(let id):
                take(id, acquiring: acquiring)
                openers.append(id)
            case .fail(let id, let failure):
                take(id, acquiring: acquiring)
                if failure == .timeout { timeouts += 1 }
                if failure == .closed && !closeRequested { problems.append("\(id) failed as closed while open") }
            case .scheduleTimer(let id, _):
                if id != acquiring { problems.append("timer for \(id), who is not asking") }
                timers.insert(id)
            case .cancelTimer(let id):
                if timers.remove(id) == nil { problems.append("cancelled timer \(id), which was not running") }
            case .closeConnection(let connection):
                if holders.values.contains(connection) || checking.contains(connection) {
                    problems.append("\(connection) closed while in use")
                }
                closedConnections.insert(connection)
            case .resumeDrainWaiters:
                drainResumed += 1
                if !(closeRequested && machine.isDrained) { problems.append("drain signalled before the pool drained") }
            }
        }
    }

    /// A waiter leaves the queue (or the caller asking is answered at once).
    mutating func take(_ id: UInt64, acquiring: UInt64?) {
        if let index = waiting.firstIndex(where: { $0.id == id }) {
            waiting.remove(at: index)
        } else if id != acquiring {
            problems.append("\(id) answered twice or never asked")
        }
        if timers.contains(id) { problems.append("\(id) left the queue with its timer running") }
    }

    // MARK: Invariants

    mutating func checkInvariants() {
        problems += machine.invariantViolations
        if machine.waiterIDs != waiting.map(\.id) {
            problems.append("queue \(machine.waiterIDs), callers waiting \(waiting.map(\.id))")
        }
        if timers != Set(waiting.map(\.id)) { problems.append("timers \(timers) for waiters \(waiting.map(\.id))") }
        if machine.lent != holders.count + openers.count + checking.count {
            problems.append("lent \(machine.lent), held \(holders.count + openers.count + checking.count)")
        }
        if machine.idle.contains(where: closedConnections.contains) { problems.append("a closed connection is idle") }
        if machine.idle.contains(where: holders.values.contains) { problems.append("a lent connection is idle") }
        if closeRequested && machine.isDrained && drainResumed != 1 {
            problems.append("drained, but the drain was signalled \(drainResumed) times")
        }
    }
}

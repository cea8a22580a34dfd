/// The decisions of ``MariaDBConnectionPool``, without I/O: events in, actions out.
///
/// The machine holds what the pool knows — its idle connections, how many slots are lent
/// (connections lent out or being opened for a caller), the callers waiting (by id, each with
/// its deadline as a value), and whether the pool is closed — and each method takes one event
/// (a caller asks, a connection comes back or is closed, an open fails, a deadline passes, a caller is
/// cancelled, the pool is closed, the health check takes an idle connection) and returns what to
/// do about it as ``Action`` values. It opens nothing, starts no task, holds no continuation and
/// reads no clock: `now` is passed in. ``MariaDBConnectionPool`` is the runner that feeds it
/// events under its lock and carries the actions out; PoolStateMachineTests drive it with mock
/// connections and a mock clock, thousands of interleavings without a server.
///
/// What it guarantees, after every event:
/// - Deciding to wait and registering as a waiter are one step (``acquire(_:deadline:)``).
/// - Every freed slot and every connection that comes back goes to the first waiter.
/// - No caller waits while a connection is idle or a slot is free.
/// - A cancelled waiter, or one whose deadline passed, is failed at once.
/// - Closing fails every waiter and later request, closes the idle connections, and the pool is
///   drained (``Action/resumeDrainWaiters``) once every lent slot came back.
///
/// `Connection` is whatever the runner lends (a handle compared by identity); `Instant` is the
/// runner's clock's instant.
struct PoolStateMachine<Connection: Equatable, Instant: Comparable> {
    typealias WaiterID = UInt64

    /// Why a waiter is failed.
    enum Failure: Equatable {
        /// Its deadline passed before a connection or slot came free.
        case timeout
        /// The pool is closed.
        case closed
        /// Its task was cancelled.
        case cancelled
    }

    /// What the runner does.
    enum Action: Equatable {
        /// Hands an idle connection to the waiter (the runner checks it still looks alive).
        case lend(Connection, to: WaiterID)
        /// Gives the waiter a slot: it opens a new connection in it; the open ends with the
        /// connection lent to it, or with ``openFailed()``.
        case openConnection(for: WaiterID)
        /// Fails the waiter.
        case fail(WaiterID, Failure)
        /// Starts a timer that reports ``deadlinesPassed(now:)`` at `deadline`.
        case scheduleTimer(WaiterID, deadline: Instant)
        /// The waiter left the queue: its timer is no longer needed.
        case cancelTimer(WaiterID)
        /// Closes a connection the pool no longer keeps.
        case closeConnection(Connection)
        /// The pool is closed and nothing is lent: the callers of close() return.
        case resumeDrainWaiters
    }

    private struct Waiter {
        let id: WaiterID
        let deadline: Instant
    }

    let poolSize: Int
    /// Idle connections; the last one is lent first (the most recently used, the likeliest alive).
    private(set) var idle: [Connection] = []
    /// Connections lent out, or slots being opened for a caller.
    private(set) var lent = 0
    /// Callers waiting, first come first served.
    private var waiters: [Waiter] = []
    private(set) var isClosed = false

    /// A pool of `poolSize` slots (the configuration checks it is at least 1; with 0, every
    /// caller waits until its deadline).
    init(poolSize: Int) {
        self.poolSize = poolSize
    }

    /// Every connection the pool has: idle, lent, or being opened.
    var open: Int { idle.count + lent }
    /// How many callers wait.
    var waiting: Int { waiters.count }
    /// What the metrics gauges report.
    var counts: (open: Int, lent: Int, waiting: Int) { (open, lent, waiters.count) }
    /// The waiters' ids, first come first.
    var waiterIDs: [WaiterID] { waiters.map(\.id) }
    /// Whether the pool is closed and every lent slot came back.
    var isDrained: Bool { isClosed && lent == 0 }

    // MARK: Events

    /// A caller asks for a connection: it is lent an idle one, given a free slot, failed when
    /// the pool is closed, or registered as a waiter until `deadline` (then the only action is
    /// ``Action/scheduleTimer(_:deadline:)``).
    mutating func acquire(_ id: WaiterID, deadline: Instant) -> [Action] {
        precondition(!waiters.contains { $0.id == id }, "waiter \(id) asked twice")
        if isClosed { return [.fail(id, .closed)] }
        if let connection = idle.popLast() {
            lent += 1
            return [.lend(connection, to: id)]
        }
        if open < poolSize {
            lent += 1
            return [.openConnection(for: id)]
        }
        waiters.append(Waiter(id: id, deadline: deadline))
        return [.scheduleTimer(id, deadline: deadline)]
    }

    /// A lent connection came back usable: to the first waiter, or to the idle list; closed when
    /// the pool is closed.
    mutating func released(_ connection: Connection) -> [Action] {
        precondition(lent > 0, "a connection came back that was not lent")
        precondition(!idle.contains(connection), "a connection came back twice")
        if isClosed {
            lent -= 1
            return [.closeConnection(connection)] + drainedActions()
        }
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()  // the connection passes on: lent stays
            return [.cancelTimer(waiter.id), .lend(connection, to: waiter.id)]
        }
        lent -= 1
        idle.append(connection)
        return []
    }

    /// A lent slot is free again: it goes to the first waiter, who opens a connection in it.
    ///
    /// The runner reports it after it closed the connection in the slot (one that came back
    /// broken or with changed session state, or that the health check found dead), so the pool
    /// never has more than `poolSize` sockets, even for a moment; or when opening one failed.
    mutating func slotFreed() -> [Action] {
        precondition(lent > 0, "a slot was freed that was not lent")
        if !isClosed, !waiters.isEmpty {
            let waiter = waiters.removeFirst()  // the slot passes on: lent stays
            return [.cancelTimer(waiter.id), .openConnection(for: waiter.id)]
        }
        lent -= 1
        return drainedActions()
    }

    /// Opening a connection in a slot failed: the slot goes to the next waiter.
    mutating func openFailed() -> [Action] { slotFreed() }

    /// Fails every waiter whose deadline is at or before `now` (a timer that fires reports the
    /// time it fired; the waiters of other timers whose deadline passed too are failed with it).
    mutating func deadlinesPassed(now: Instant) -> [Action] {
        var actions: [Action] = []
        waiters.removeAll { waiter in
            guard waiter.deadline <= now else { return false }
            actions += [.cancelTimer(waiter.id), .fail(waiter.id, .timeout)]
            return true
        }
        return actions
    }

    /// The waiter's task was cancelled: failed at once when it still waits; nothing otherwise
    /// (it was served already, or has not registered yet and the runner checks cancellation
    /// before ``acquire(_:deadline:)``).
    mutating func cancelled(_ id: WaiterID) -> [Action] {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return [] }
        waiters.remove(at: index)
        return [.cancelTimer(id), .fail(id, .cancelled)]
    }

    /// Close requested: fails every waiter, closes the idle connections, and drains when nothing
    /// is lent (otherwise ``Action/resumeDrainWaiters`` follows the last slot to come back).
    mutating func closeRequested() -> [Action] {
        let wasClosed = isClosed
        isClosed = true
        var actions: [Action] = []
        for waiter in waiters {
            actions += [.cancelTimer(waiter.id), .fail(waiter.id, .closed)]
        }
        waiters.removeAll()
        actions += idle.map(Action.closeConnection)
        idle.removeAll()
        if !wasClosed { actions += drainedActions() }
        return actions
    }

    /// The health check takes an idle connection to ping it: true when it is still idle (it is
    /// then lent until ``released(_:)``, or closed and its slot freed with ``slotFreed()``), false
    /// when it was lent since.
    mutating func takeForHealthCheck(_ connection: Connection) -> Bool {
        guard let index = idle.firstIndex(of: connection) else { return false }
        idle.remove(at: index)
        lent += 1
        return true
    }

    private func drainedActions() -> [Action] {
        isDrained ? [.resumeDrainWaiters] : []
    }

    // MARK: Invariants

    /// What is wrong with the state, if anything: checked by the tests after every event.
    var invariantViolations: [String] {
        var problems: [String] = []
        if lent < 0 { problems.append("lent is negative: \(lent)") }
        if open > poolSize { problems.append("\(open) connections open in a pool of \(poolSize)") }
        if !waiters.isEmpty && !idle.isEmpty { problems.append("a caller waits while a connection is idle") }
        if !waiters.isEmpty && open < poolSize { problems.append("a caller waits while a slot is free") }
        if isClosed && !(waiters.isEmpty && idle.isEmpty) { problems.append("closed with waiters or idle connections") }
        if Set(waiters.map(\.id)).count != waiters.count { problems.append("a waiter is queued twice") }
        for (index, connection) in idle.enumerated() where idle[(index + 1)...].contains(connection) {
            problems.append("a connection is idle twice")
        }
        return problems
    }
}

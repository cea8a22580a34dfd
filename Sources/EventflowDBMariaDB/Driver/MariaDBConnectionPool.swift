import EventflowDB
import Foundation
public import Logging
public import Metrics
public import ServiceLifecycle
import Synchronization

/// A pool of at most `poolSize` connections to one MariaDB database.
///
/// ```swift
/// let pool = MariaDBConnectionPool(configuration: configuration, logger: logger)
/// let domain = "example"
/// let result = try await pool.withConnection { connection in
///     try await connection.execute("SELECT id FROM event WHERE domain = \(domain)")  // bound, not spliced
/// }
/// try await pool.withTransaction { connection in … }  // commit on return, rollback on throw
/// await pool.close()
/// ```
///
/// When every connection is busy, callers wait in order up to `pool.acquireTimeout`, then fail
/// with ``/EventflowDB/DatabaseError/Kind/poolTimeout``. A connection that reports a lost connection is
/// discarded and replaced on demand; an idle one whose socket was closed by the server is
/// noticed before use, without a round trip.
///
/// With several nodes (``MariaDBConfiguration/hosts``, a Galera cluster) the pool spreads its
/// connections over them, fewest first. A node that refuses a connection, is not Synced, or
/// loses a connection is passed over for a while, and every connection made to it before that
/// is closed instead of being lent (see `MariaDBNodes`).
///
/// As a swift-service-lifecycle `Service`, ``run()`` checks idle connections periodically and
/// closes the pool on graceful shutdown.
///
/// The pool is split in two. `PoolStateMachine` (internal) makes every decision (who is lent which
/// connection, who opens one, who waits, who is failed, when close has drained) without I/O, and
/// is tested without a server. This class is the runner: it feeds the machine events under its
/// lock, keeps what the machine must not hold (the waiters' continuations, their timers, the
/// close() callers), and carries the returned actions out after the lock is released — resuming
/// continuations, opening and closing connections in tasks, timers, metrics. Choosing a node for
/// a new connection (`MariaDBNodes`) and pinning stay here, outside the machine.
public final class MariaDBConnectionPool: Sendable {
    public let configuration: MariaDBConfiguration
    private let logger: Logger
    private let state: LockedState<State>
    private let nextWaiterID = Atomic<UInt64>(0)
    private let nodes: MariaDBNodes
    /// The node each open connection went to.
    private let tickets = LockedState([ObjectIdentifier: MariaDBNodes.Ticket]())
    private let gauges: (open: Gauge, inUse: Gauge, waiters: Gauge)
    private let acquireTimer: Metrics.Timer
    private let lostConnections: Counter

    private typealias Machine = PoolStateMachine<PooledConnection, ContinuousClock.Instant>

    /// What a caller is given: an idle connection, or a slot to open one in.
    private enum Grant {
        case connection(MariaDBConnection)
        case slot
    }

    /// The machine, and what carries its decisions out that it must not hold itself.
    private struct State {
        var machine: Machine
        /// The continuation of every waiter the machine has queued, by waiter id.
        var waiters: [UInt64: CheckedContinuation<Grant, any Error>] = [:]
        /// The timer of every queued waiter, once started.
        var timers: [UInt64: Task<Void, Never>] = [:]
        /// Callers of close() waiting for the lent connections to come back.
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// An action of the machine, with what it needs taken out of the state under the lock, to
    /// be carried out after the lock is released.
    private enum Effect {
        case resume(CheckedContinuation<Grant, any Error>, Result<Grant, any Error>)
        case startTimer(UInt64, deadline: ContinuousClock.Instant)
        case cancelTimer(Task<Void, Never>)
        case close(MariaDBConnection)
        case drained([CheckedContinuation<Void, Never>])
    }

    /// Creates a pool. Connections are opened on demand.
    ///
    /// - Parameter configuration: Where the server (or the cluster's nodes) is, and the pool's size and timeouts.
    /// - Parameter logger: Where the pool logs.
    /// - Parameter metrics: where the pool reports `eventflow_db_pool_connections`,
    ///   `eventflow_db_pool_in_use`, `eventflow_db_pool_waiters` (gauges),
    ///   `eventflow_db_pool_acquire_duration` (timer) and `eventflow_db_connections_lost_total`;
    ///   the process-wide swift-metrics backend by default.
    public init(
        configuration: MariaDBConfiguration, logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.configuration = configuration
        self.logger = logger
        self.gauges = (
            Gauge(label: "eventflow_db_pool_connections", factory: metrics),
            Gauge(label: "eventflow_db_pool_in_use", factory: metrics),
            Gauge(label: "eventflow_db_pool_waiters", factory: metrics)
        )
        self.acquireTimer = Metrics.Timer(label: "eventflow_db_pool_acquire_duration", factory: metrics)
        self.lostConnections = Counter(label: "eventflow_db_connections_lost_total", factory: metrics)
        self.nodes = MariaDBNodes(configuration.socketPath == nil ? configuration.hosts : [configuration.hosts[0]])
        self.state = LockedState(State(machine: Machine(poolSize: configuration.poolSize)))
    }

    // MARK: Lending

    /// Runs `body` with a connection of the pool, returning it afterwards.
    ///
    /// - Parameter idempotent: When true and the connection turns out to be lost, `body` runs
    ///   once more on a fresh connection. Only for reads and writes that are safe to repeat.
    /// - Parameter body: The work to do with the connection.
    @discardableResult
    public func withConnection<T>(
        idempotent: Bool = false, _ body: (MariaDBConnection) async throws -> T
    ) async throws -> T {
        var attempt = 0
        if let pin = lendPinned() {
            defer { unlend(pin) }
            do {
                return try await body(pin.connection)
            } catch let error as DatabaseError where idempotent && error.kind == .connectionLost {
                logger.info("retrying on a fresh connection", metadata: ["error": "\(error)"])
                attempt = 1  // the pinned connection was the first attempt
            }
        }
        while true {
            attempt += 1
            let connection = try await acquire()
            do {
                let result = try await body(connection)
                await release(connection)
                return result
            } catch let error as DatabaseError where idempotent && attempt == 1 && error.kind == .connectionLost {
                logger.info("retrying on a fresh connection", metadata: ["error": "\(error)"])
                await release(connection)
            } catch {
                await release(connection)
                throw error
            }
        }
    }

    /// Runs `body` in a transaction on one connection: committed when `body` returns, rolled
    /// back when it throws or its task is cancelled. The connection goes back to the pool clean.
    @discardableResult
    public func withTransaction<T>(_ body: (MariaDBConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.query("START TRANSACTION")
            let result: T
            do {
                result = try await body(connection)
                try Task.checkCancellation()
            } catch {
                do {
                    try await connection.query("ROLLBACK")
                } catch {
                    connection.markBroken()
                }
                throw error
            }
            do {
                try await connection.query("COMMIT")
            } catch {
                // The outcome of a failed COMMIT is unknown: never reuse that connection.
                connection.markBroken()
                throw error
            }
            return result
        }
    }

    /// A connection for the caller: an idle one, a new one in a free slot, or the first of
    /// either to come free within `pool.acquireTimeout`.
    ///
    /// The caller's continuation is registered in the same critical section in which the machine
    /// decides whether it waits, so a connection released in between cannot be missed; the
    /// timeout and a cancellation act on the registered waiter only, so neither can fire before
    /// it exists.
    func acquire() async throws -> MariaDBConnection {
        let started = ContinuousClock.now
        defer {
            acquireTimer.record(duration: ContinuousClock.now - started)
            publishGauges()
        }
        let id = nextWaiterID.add(1, ordering: .relaxed).newValue
        // At most a year: a longer timeout's deadline does not fit an instant, or the runtime's timer.
        let deadline = started + min(configuration.acquireTimeout, InputRange.durations.upperBound)
        let grant = try await withTaskCancellationHandler {
            try await state.withContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                let effects = state.withLock { state -> [Effect] in
                    // Checked under the lock: a cancellation after this finds the waiter registered.
                    if !state.machine.isClosed, Task.isCancelled {
                        return [.resume(continuation, .failure(CancellationError()))]
                    }
                    state.waiters[id] = continuation
                    return takeEffects(of: state.machine.acquire(id, deadline: deadline), in: &state)
                }
                performNow(effects)
            }
        } onCancel: {
            performNow(feed { $0.cancelled(id) })
        }
        switch grant {
        case .connection(let connection):
            if connection.socketLooksAlive() && isCurrent(connection) { return connection }
            logger.info(
                "discarding a connection the server closed, or to a node found down since",
                metadata: ["thread": "\(connection.serverThreadID)"])
            await closeConnection(connection)  // its slot goes to the replacement
            return try await openInSlot()
        case .slot:
            return try await openInSlot()
        }
    }

    // MARK: Running the machine

    /// Feeds the machine one event under the lock; returns what to do about it.
    private func feed(_ event: (inout Machine) -> [Machine.Action]) -> [Effect] {
        state.withLock { state in
            let actions = event(&state.machine)
            return takeEffects(of: actions, in: &state)
        }
    }

    /// Turns the machine's actions into effects, taking the continuations and timers they act
    /// on out of the state (called with the lock held).
    private func takeEffects(of actions: [Machine.Action], in state: inout State) -> [Effect] {
        var effects: [Effect] = []
        func resume(_ id: UInt64, _ result: Result<Grant, any Error>) {
            guard let continuation = state.waiters.removeValue(forKey: id) else {
                preconditionFailure("the pool's machine addressed waiter \(id), which has no continuation")
            }
            effects.append(.resume(continuation, result))
        }
        for action in actions {
            switch action {
            case .lend(let pooled, let id): resume(id, .success(.connection(pooled.connection)))
            case .openConnection(let id): resume(id, .success(.slot))
            case .fail(let id, let failure): resume(id, .failure(error(for: failure)))
            case .scheduleTimer(let id, let deadline): effects.append(.startTimer(id, deadline: deadline))
            case .cancelTimer(let id):
                if let timer = state.timers.removeValue(forKey: id) { effects.append(.cancelTimer(timer)) }
            case .closeConnection(let pooled): effects.append(.close(pooled.connection))
            case .resumeDrainWaiters:
                effects.append(.drained(state.drainWaiters))
                state.drainWaiters.removeAll()
            }
        }
        return effects
    }

    private func error(for failure: Machine.Failure) -> any Error {
        switch failure {
        case .timeout:
            DatabaseError(
                kind: .poolTimeout,
                message:
                    "no connection became free within \(configuration.acquireTimeout) (pool size \(configuration.poolSize))"
            )
        case .closed: DatabaseError(kind: .closed, message: "the connection pool is closed")
        case .cancelled: CancellationError()
        }
    }

    /// Carries effects out, in order, closing connections before the next effect.
    private func perform(_ effects: [Effect]) async {
        for effect in effects {
            if case .close(let connection) = effect {
                await closeConnection(connection)
            } else {
                performNow([effect])
            }
        }
    }

    /// Carries out effects that need no waiting: the events fed from synchronous code (acquire,
    /// a cancellation, a timer, a freed slot) never close a connection.
    private func performNow(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .resume(let continuation, let result): continuation.resume(with: result)
            case .startTimer(let id, let deadline): startTimer(forWaiter: id, deadline: deadline)
            case .cancelTimer(let timer): timer.cancel()
            case .close(let connection):
                assertionFailure("a connection to close from a synchronous event")
                Task { await closeConnection(connection) }
            case .drained(let continuations): continuations.forEach { $0.resume() }
            }
        }
    }

    /// Tells the machine when the waiter's deadline has passed (unless it was served before).
    private func startTimer(forWaiter id: UInt64, deadline: ContinuousClock.Instant) {
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
            guard let self else { return }
            let now = ContinuousClock.now
            performNow(feed { $0.deadlinesPassed(now: now) })
            publishGauges()
        }
        let served = state.withLock { state -> Bool in
            guard state.waiters[id] != nil else { return true }
            state.timers[id] = timer
            return false
        }
        if served { timer.cancel() }
    }

    /// Opens a connection in a slot the caller holds; a failure frees the slot for the next waiter.
    ///
    /// A connect can block up to `connectTimeout` (a server that accepts but does not answer);
    /// a caller cancelled meanwhile returns at once, and the connection, once made, goes to
    /// the pool like a released one (or its slot is freed when it fails).
    private func openInSlot() async throws -> MariaDBConnection {
        let race = LockedState(OpenRace.pending)
        return try await withTaskCancellationHandler {
            try await race.withContinuation {
                (continuation: CheckedContinuation<MariaDBConnection, any Error>) in
                let proceed = race.withLock { state -> Bool in
                    if case .abandoned = state { return false }
                    state = .waiting(continuation)
                    return true
                }
                guard proceed else {
                    performNow(feed { $0.slotFreed() })
                    continuation.resume(throwing: CancellationError())
                    return
                }
                Task {
                    let result: Result<MariaDBConnection, any Error>
                    do {
                        result = .success(try await connectToANode())
                    } catch {
                        result = .failure(error)
                    }
                    let waiter = race.withLock { state -> CheckedContinuation<MariaDBConnection, any Error>? in
                        guard case .waiting(let continuation) = state else { return nil }
                        state = .finished
                        return continuation
                    }
                    switch (result, waiter) {
                    case (.success(let connection), let waiter?): waiter.resume(returning: connection)
                    case (.failure(let error), let waiter?):
                        performNow(feed { $0.openFailed() })
                        waiter.resume(throwing: error)
                    case (.success(let connection), nil):
                        await release(connection)  // its caller left: it serves the next
                    case (.failure, nil): performNow(feed { $0.openFailed() })
                    }
                }
            }
        } onCancel: {
            let waiter = race.withLock { state -> CheckedContinuation<MariaDBConnection, any Error>? in
                switch state {
                case .pending:
                    state = .abandoned
                    return nil
                case .waiting(let continuation):
                    state = .abandoned
                    return continuation
                case .abandoned, .finished:
                    return nil
                }
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// A new connection to the best node that takes one: a node that refuses or is not ready is
    /// marked down and the next is tried; the last error when none does.
    private func connectToANode(limits: SessionLimits? = nil, pooled: Bool = true) async throws -> MariaDBConnection {
        var lastError: (any Error)?
        var tried = Set<Int>()
        while let (host, ticket) = nodes.reserve(excluding: tried) {
            tried.insert(ticket.index)
            do {
                let connection = try await MariaDBConnection.connect(
                    configuration: configuration, limits: limits, node: host, logger: logger)
                nodes.opened(ticket)
                guard pooled else {
                    nodes.closed(ticket)  // not the pool's: not counted
                    return connection
                }
                tickets.withLock { $0[ObjectIdentifier(connection)] = ticket }
                return connection
            } catch let error as DatabaseError
                where [.connectionLost, .nodeUnavailable, .authentication].contains(error.kind)
            {
                nodes.closed(ticket)
                lastError = error
                guard nodes.count > 1 else { break }
                // A refused login or an unknown database (a node that has not applied a new
                // CREATE DATABASE yet) says nothing about the node's health: try the next only.
                if Self.isNodeFailure(error), nodes.markDown(ticket) {
                    logger.warning("node passed over", metadata: ["node": "\(host)", "error": "\(error)"])
                }
            } catch {
                nodes.closed(ticket)
                throw error
            }
        }
        throw lastError ?? DatabaseError(kind: .connectionLost, message: "no node to connect to")
    }

    /// A connection of the caller's own, outside the pool (for a named lock or DDL), to the best
    /// node that takes one, with `limits`. The caller closes it.
    public func connectOutsidePool(limits: SessionLimits? = nil) async throws -> MariaDBConnection {
        try await connectToANode(limits: limits, pooled: false)
    }

    /// A connect failure that says the node is gone or not ready (client errors 2xxx: refused,
    /// unreachable, lost; too many connections; shutting down; not Synced), not a server's
    /// answer about this login or database.
    private static func isNodeFailure(_ error: DatabaseError) -> Bool {
        error.kind == .nodeUnavailable || error.number >= 2000 || [1040, 1053, 1927, 0].contains(error.number)
    }

    /// Whether the connection's node was not found down since it was made.
    private func isCurrent(_ connection: MariaDBConnection) -> Bool {
        guard let ticket = tickets.withLock({ $0[ObjectIdentifier(connection)] }) else { return true }
        return nodes.isCurrent(ticket)
    }

    /// Closes a connection and forgets its node; a connection that saw its node fail marks the
    /// node down, so the pool's other connections to it are not lent again.
    private func closeConnection(_ connection: MariaDBConnection) async {
        if connection.isBroken && connection.reportedNodeFailure { lostConnections.increment() }
        await connection.close()
        guard let ticket = tickets.withLock({ $0.removeValue(forKey: ObjectIdentifier(connection)) }) else { return }
        nodes.closed(ticket)
        if nodes.count > 1, connection.reportedNodeFailure, nodes.markDown(ticket) {
            logger.warning(
                "node passed over after a connection to it failed", metadata: ["node": "\(nodes.host(ticket))"])
        }
    }

    /// Open connections per node, in the order of ``MariaDBConfiguration/hosts``.
    public var openConnectionsPerNode: [Int] { nodes.openCounts }

    /// A connect in a caller's slot, and whether the caller still waits for it.
    private enum OpenRace {
        case pending
        case waiting(CheckedContinuation<MariaDBConnection, any Error>)
        case abandoned
        case finished
    }

    /// Takes a connection back: to the next waiter or the idle list when it is clean; reset
    /// first when it was returned inside a transaction; closed when it is broken or its session
    /// state was changed.
    func release(_ connection: MariaDBConnection) async {
        if !connection.isBroken && connection.isInTransaction {
            logger.info(
                "rolling back a transaction left open on a returned connection",
                metadata: ["thread": "\(connection.serverThreadID)"])
            if (try? await connection.query("ROLLBACK")) == nil { connection.markBroken() }
        }
        if connection.isBroken || connection.hasChangedSessionState || connection.isInTransaction {
            await discard(connection)
            return
        }
        let effects = feed { $0.released(PooledConnection(connection)) }
        publishGauges()
        await perform(effects)
    }

    /// Closes a lent connection; then its slot goes to the next waiter.
    private func discard(_ connection: MariaDBConnection) async {
        await closeConnection(connection)
        performNow(feed { $0.slotFreed() })
        publishGauges()
    }

    // MARK: Health and shutdown

    /// How long the idle health check waits for a connection's ping.
    public static let idlePingTimeout: Duration = .seconds(2)

    /// Pings the idle connections, one at a time, and drops those that do not answer within
    /// `pingTimeout`; a connection that does not answer marks its node down (with several
    /// nodes), so the pool's other connections to it are not lent either.
    ///
    /// Only the connection being pinged is taken out of the pool: the others stay lendable, so
    /// a hung node delays no caller, and the check itself by at most `pingTimeout` per connection.
    public func checkIdleConnections(pingTimeout: Duration = MariaDBConnectionPool.idlePingTimeout) async {
        let candidates = state.withLock { $0.machine.idle }
        for candidate in candidates {
            let connection = state.withLock { state -> MariaDBConnection? in
                // Lent since: whoever has it finds out whether it answers.
                state.machine.takeForHealthCheck(candidate) ? candidate.connection : nil
            }
            guard let connection else { continue }
            if isCurrent(connection), await connection.ping(within: pingTimeout) {
                await release(connection)
            } else {
                logger.info(
                    "dropping an idle connection that does not answer, or to a node found down since",
                    metadata: ["thread": "\(connection.serverThreadID)"])
                await discard(connection)
            }
        }
    }

    /// Drains the pool: fails waiters and later requests with ``/EventflowDB/DatabaseError/Kind/closed``,
    /// closes every idle connection now, and returns once every lent connection has come back
    /// and been closed (operations under way finish first).
    public func close() async {
        let effects = feed { $0.closeRequested() }
        await perform(effects)
        await state.withContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state -> Bool in
                if state.machine.isDrained { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
        publishGauges()
        let closed = effects.count(where: { if case .close = $0 { true } else { false } })
        logger.debug("connection pool closed", metadata: ["closed": "\(closed)"])
    }

    /// Reports the pool's size, connections in use and waiters to the gauges.
    private func publishGauges() {
        let (open, lent, waiting) = state.withLock { $0.machine.counts }
        gauges.open.record(open)
        gauges.inUse.record(lent)
        gauges.waiters.record(waiting)
    }

    /// How many connections are open (idle or lent), and how many are lent.
    public var counts: (open: Int, lent: Int) {
        state.withLock { ($0.machine.open, $0.machine.lent) }
    }

    /// How many callers wait for a connection now.
    public var waiting: Int {
        state.withLock { $0.machine.waiting }
    }
}

extension MariaDBConnectionPool: Service {
    /// Checks idle connections every 30 seconds until graceful shutdown, then closes the pool.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                if Task.isCancelled { break }
                await self.checkIdleConnections()
            }
        }
        await close()
    }
}

/// A connection as the pool's machine holds it: compared by identity.
private struct PooledConnection: Equatable {
    let connection: MariaDBConnection

    init(_ connection: MariaDBConnection) { self.connection = connection }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.connection === rhs.connection }
}

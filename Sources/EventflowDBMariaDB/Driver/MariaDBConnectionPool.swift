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
/// let result = try await pool.withConnection { connection in
///     try await connection.execute("SELECT id FROM event WHERE domain = ?", [.string("example")])
/// }
/// try await pool.withTransaction { connection in … }  // commit on return, rollback on throw
/// await pool.close()
/// ```
///
/// When every connection is busy, callers wait in order up to `pool.acquireTimeout`, then fail
/// with ``DatabaseError/Kind/poolTimeout``. A connection that reports a lost connection is
/// discarded and replaced on demand; an idle one whose socket was closed by the server is
/// noticed before use, without a round trip.
///
/// With several nodes (``MariaDBConfiguration/hosts``, a Galera cluster) the pool spreads its
/// connections over them, fewest first. A node that refuses a connection, is not Synced, or
/// loses a connection is passed over for a while, and every connection made to it before that
/// is closed instead of being lent (see ``MariaDBNodes``).
///
/// As a swift-service-lifecycle `Service`, ``run()`` checks idle connections periodically and
/// closes the pool on graceful shutdown.
public final class MariaDBConnectionPool: Sendable {
    public let configuration: MariaDBConfiguration
    private let logger: Logger
    private let state = LockedState(State())
    private let nextWaiterID = Atomic<UInt64>(0)
    private let nodes: MariaDBNodes
    /// The node each open connection went to.
    private let tickets = LockedState([ObjectIdentifier: MariaDBNodes.Ticket]())
    private let gauges: (open: Gauge, inUse: Gauge, waiters: Gauge)
    private let acquireTimer: Metrics.Timer
    private let lostConnections: Counter

    /// What a caller is given: an idle connection, or a slot to open one in.
    private enum Grant {
        case connection(MariaDBConnection)
        case slot
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Grant, any Error>
        var timer: Task<Void, Never>?
    }

    private struct State {
        var idle: [MariaDBConnection] = []
        /// Connections lent out, or being opened for a caller.
        var lent = 0
        var waiters: [Waiter] = []
        var isClosed = false
        /// Callers of close() waiting for the lent connections to come back.
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        /// Times a critical section ended with a caller waiting while a connection was idle or
        /// a slot was free: never, by design. Tests read it.
        var strandedWaiters = 0

        /// Every connection the pool has: idle, lent, or being opened.
        var open: Int { idle.count + lent }

        /// When the pool is closed and nothing is lent any more, the close() callers to wake.
        mutating func takeDrainWaitersIfDrained() -> [CheckedContinuation<Void, Never>] {
            guard isClosed, lent == 0 else { return [] }
            defer { drainWaiters.removeAll() }
            return drainWaiters
        }

        /// Counts a stranded waiter; called at the end of every critical section that changes
        /// the idle list, the slots or the waiters.
        mutating func check(poolSize: Int) {
            if !waiters.isEmpty && (!idle.isEmpty || open < poolSize) { strandedWaiters += 1 }
        }
    }

    /// Creates a pool. Connections are opened on demand.
    ///
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
    }

    // MARK: Lending

    /// Runs `body` with a connection of the pool, returning it afterwards.
    ///
    /// - Parameter idempotent: When true and the connection turns out to be lost, `body` runs
    ///   once more on a fresh connection. Only for reads and writes that are safe to repeat.
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
    /// Deciding to wait and registering as a waiter happen in one critical section, so a
    /// connection released in between cannot be missed; the timeout and a cancellation act on
    /// the registered waiter only, so neither can fire before it exists.
    func acquire() async throws -> MariaDBConnection {
        let started = ContinuousClock.now
        defer {
            acquireTimer.record(duration: ContinuousClock.now - started)
            publishGauges()
        }
        let id = nextWaiterID.add(1, ordering: .relaxed).newValue
        let grant = try await withTaskCancellationHandler {
            try await state.withContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                enum Decision { case grant(Grant), fail(any Error), wait }
                let decision = state.withLock { state -> Decision in
                    if state.isClosed {
                        return .fail(DatabaseError(kind: .closed, message: "the connection pool is closed"))
                    }
                    // Checked under the lock: a cancellation after this finds the waiter registered.
                    if Task.isCancelled { return .fail(CancellationError()) }
                    if let connection = state.idle.popLast() {
                        state.lent += 1
                        return .grant(.connection(connection))
                    }
                    if state.open < configuration.poolSize {
                        state.lent += 1
                        return .grant(.slot)
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .wait
                }
                switch decision {
                case .grant(let grant): continuation.resume(returning: grant)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: startTimer(forWaiter: id)
                }
            }
        } onCancel: {
            failWaiter(id: id, CancellationError())
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

    /// Fails the waiter with a pool timeout once `acquireTimeout` passed (at most a year: a
    /// longer sleep's deadline does not fit the runtime's timer and traps).
    private func startTimer(forWaiter id: UInt64) {
        let timeout = min(configuration.acquireTimeout, InputRange.durations.upperBound)
        let poolSize = configuration.poolSize
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self?.failWaiter(
                id: id,
                DatabaseError(
                    kind: .poolTimeout, message: "no connection became free within \(timeout) (pool size \(poolSize))"))
        }
        let served = state.withLock { state -> Bool in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return true }
            state.waiters[index].timer = timer
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
                    freeSlot()
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
                        freeSlot()
                        waiter.resume(throwing: error)
                    case (.success(let connection), nil):
                        await release(connection)  // its caller left: it serves the next
                    case (.failure, nil): freeSlot()
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

    private func failWaiter(id: UInt64, _ error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        guard let waiter else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(throwing: error)
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
        enum Next { case handOver(Waiter), keep, close([CheckedContinuation<Void, Never>]) }
        let next = state.withLock { state -> Next in
            if state.isClosed {
                state.lent -= 1
                return .close(state.takeDrainWaitersIfDrained())
            }
            if !state.waiters.isEmpty { return .handOver(state.waiters.removeFirst()) }
            state.lent -= 1
            state.idle.append(connection)
            state.check(poolSize: configuration.poolSize)
            return .keep
        }
        publishGauges()
        switch next {
        case .handOver(let waiter):
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: .connection(connection))
        case .keep: break
        case .close(let drained):
            await closeConnection(connection)
            drained.forEach { $0.resume() }
        }
    }

    /// Closes a lent connection and frees its slot.
    private func discard(_ connection: MariaDBConnection) async {
        await closeConnection(connection)
        freeSlot()
    }

    /// A lent slot is free again: it goes to the first waiter (who opens a connection in it),
    /// or back to the pool.
    private func freeSlot() {
        enum Next { case serve(Waiter), drained([CheckedContinuation<Void, Never>]) }
        let next = state.withLock { state -> Next in
            if !state.isClosed, !state.waiters.isEmpty {
                return .serve(state.waiters.removeFirst())  // the slot passes on: lent stays
            }
            state.lent -= 1
            state.check(poolSize: configuration.poolSize)
            return .drained(state.takeDrainWaitersIfDrained())
        }
        switch next {
        case .serve(let waiter):
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: .slot)
        case .drained(let drained):
            drained.forEach { $0.resume() }
        }
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
        let candidates = state.withLock { $0.idle.map(ObjectIdentifier.init) }
        for candidate in candidates {
            let connection = state.withLock { state -> MariaDBConnection? in
                // Lent since: whoever has it finds out whether it answers.
                guard let index = state.idle.firstIndex(where: { ObjectIdentifier($0) == candidate }) else {
                    return nil
                }
                state.lent += 1
                return state.idle.remove(at: index)
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

    /// Drains the pool: fails waiters and later requests with ``DatabaseError/Kind/closed``,
    /// closes every idle connection now, and returns once every lent connection has come back
    /// and been closed (operations under way finish first).
    public func close() async {
        let (idle, waiters) = state.withLock { state -> ([MariaDBConnection], [Waiter]) in
            state.isClosed = true
            let idle = state.idle
            state.idle.removeAll()
            let waiters = state.waiters
            state.waiters.removeAll()
            return (idle, waiters)
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: DatabaseError(kind: .closed, message: "the connection pool is closed"))
        }
        for connection in idle { await closeConnection(connection) }
        await state.withContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state -> Bool in
                if state.lent == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
        logger.debug("connection pool closed", metadata: ["closed": "\(idle.count)"])
    }

    /// Reports the pool's size, connections in use and waiters to the gauges.
    private func publishGauges() {
        let (open, lent, waiting) = state.withLock { ($0.open, $0.lent, $0.waiters.count) }
        gauges.open.record(open)
        gauges.inUse.record(lent)
        gauges.waiters.record(waiting)
    }

    /// How many connections are open (idle or lent), and how many are lent.
    public var counts: (open: Int, lent: Int) {
        state.withLock { ($0.open, $0.lent) }
    }

    /// How many callers wait for a connection now.
    public var waiting: Int {
        state.withLock { $0.waiters.count }
    }

    /// How often a caller was left waiting while a connection was idle or a slot free (0 unless
    /// the pool has a bug; the stress tests check it).
    package var strandedWaiterCount: Int {
        state.withLock { $0.strandedWaiters }
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

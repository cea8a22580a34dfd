import EventflowDB
import Foundation
import Logging
import ServiceLifecycle
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
/// As a swift-service-lifecycle `Service`, ``run()`` checks idle connections periodically and
/// closes the pool on graceful shutdown.
public final class MariaDBConnectionPool: Sendable {
    public let configuration: EventflowDBConfiguration
    private let logger: Logger
    private let state = Mutex(State())

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<MariaDBConnection, any Error>
    }

    private struct State {
        var idle: [MariaDBConnection] = []
        /// Connections lent out, or being opened for a caller.
        var lent = 0
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
        var isClosed = false
        /// Callers of close() waiting for the lent connections to come back.
        var drainWaiters: [CheckedContinuation<Void, Never>] = []

        /// Every connection the pool has: idle, lent, or being opened.
        var open: Int { idle.count + lent }

        /// When the pool is closed and nothing is lent any more, the close() callers to wake.
        mutating func takeDrainWaitersIfDrained() -> [CheckedContinuation<Void, Never>] {
            guard isClosed, lent == 0 else { return [] }
            defer { drainWaiters.removeAll() }
            return drainWaiters
        }
    }

    /// What to do after taking the lock.
    private enum Acquisition {
        case use(MariaDBConnection)
        case open
        case wait(UInt64)
        case closed
    }

    /// Creates a pool. Connections are opened on demand.
    public init(configuration: EventflowDBConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
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

    private func acquire() async throws -> MariaDBConnection {
        while true {
            let acquisition = state.withLock { state -> Acquisition in
                if state.isClosed { return .closed }
                if let connection = state.idle.popLast() {
                    state.lent += 1
                    return .use(connection)
                }
                if state.open < configuration.poolSize {
                    state.lent += 1
                    return .open
                }
                state.nextWaiterID += 1
                return .wait(state.nextWaiterID)
            }
            switch acquisition {
            case .closed:
                throw DatabaseError(kind: .closed, message: "the connection pool is closed")
            case .use(let connection):
                if connection.socketLooksAlive() { return connection }
                logger.info("discarding a connection the server closed", metadata: ["thread": "\(connection.serverThreadID)"])
                await connection.close()  // its slot goes to the replacement
                return try await openForLending()
            case .open:
                return try await openForLending()
            case .wait(let id):
                return try await waitForConnection(id: id)
            }
        }
    }

    /// Opens a connection for a caller that already holds a slot.
    private func openForLending() async throws -> MariaDBConnection {
        do {
            return try await MariaDBConnection.connect(configuration: configuration, logger: logger)
        } catch {
            state.withLock { $0.lent -= 1 }
            throw error
        }
    }

    private func waitForConnection(id: UInt64) async throws -> MariaDBConnection {
        let timeout = configuration.acquireTimeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.failWaiter(
                id: id,
                DatabaseError(
                    kind: .poolTimeout,
                    message: "no connection became free within \(timeout) (pool size \(self?.configuration.poolSize ?? 0))"))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let closed = state.withLock { state -> Bool in
                    if state.isClosed { return true }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if closed { continuation.resume(throwing: DatabaseError(kind: .closed, message: "the connection pool is closed")) }
            }
        } onCancel: {
            failWaiter(id: id, CancellationError())
        }
    }

    private func failWaiter(id: UInt64, _ error: any Error) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Takes a connection back: to the next waiter, to the idle list, or closed when broken.
    private func release(_ connection: MariaDBConnection) async {
        if connection.isBroken {
            await discard(connection)
            await serveWaiterWithNewConnection()
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
            return .keep
        }
        switch next {
        case .handOver(let waiter): waiter.continuation.resume(returning: connection)
        case .keep: break
        case .close(let drained):
            await connection.close()
            drained.forEach { $0.resume() }
        }
    }

    /// Closes a lent connection and frees its slot.
    private func discard(_ connection: MariaDBConnection) async {
        let drained = state.withLock {
            $0.lent -= 1
            return $0.takeDrainWaitersIfDrained()
        }
        await connection.close()
        drained.forEach { $0.resume() }
    }

    /// After a slot was freed: opens a connection for the first waiter, if any.
    private func serveWaiterWithNewConnection() async {
        let waiter = state.withLock { state -> Waiter? in
            guard !state.isClosed, !state.waiters.isEmpty, state.open < configuration.poolSize else { return nil }
            state.lent += 1
            return state.waiters.removeFirst()
        }
        guard let waiter else { return }
        do {
            waiter.continuation.resume(returning: try await openForLending())
        } catch {
            waiter.continuation.resume(throwing: error)
        }
    }

    // MARK: Health and shutdown

    /// Pings every idle connection and drops those that do not answer.
    public func checkIdleConnections() async {
        let idle = state.withLock { state -> [MariaDBConnection] in
            let idle = state.idle
            state.idle.removeAll()
            state.lent += idle.count
            return idle
        }
        for connection in idle {
            if await connection.ping() {
                await release(connection)
            } else {
                logger.info("dropping an idle connection that does not answer", metadata: ["thread": "\(connection.serverThreadID)"])
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
            waiter.continuation.resume(throwing: DatabaseError(kind: .closed, message: "the connection pool is closed"))
        }
        for connection in idle { await connection.close() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state -> Bool in
                if state.lent == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if drained { continuation.resume() }
        }
        logger.debug("connection pool closed", metadata: ["closed": "\(idle.count)"])
    }

    /// How many connections are open (idle or lent), and how many are lent.
    public var counts: (open: Int, lent: Int) {
        state.withLock { ($0.open, $0.lent) }
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

import EventflowDB

/// A pooled connection held by one task for a stretch of work.
///
/// The pin is a task-local, so a task started inside the pinned block (`Task { }`) inherits it
/// and may run on after the block returned. The pin therefore ends with its block: from then
/// on ``MariaDBConnectionPool/lendPinned()`` no longer lends it, and the block's end waits for
/// a lending under way to finish before the connection goes back to the pool. Otherwise such a
/// task's statements would run on a connection lent to another caller, inside that caller's
/// transaction, and be rolled back with it after they were acknowledged.
final class PinnedConnection: Sendable {
    let pool: ObjectIdentifier
    let connection: MariaDBConnection
    private let use = LockedState(Use.free)

    /// Lent to one ``MariaDBConnectionPool/withConnection(idempotent:_:)`` at a time: a lending
    /// nested in another (a statement inside a transaction's body) gets a connection of its own.
    private enum Use {
        case free
        case lent
        /// Lent while the block ended: the end waits for the lending to finish.
        case lentEnding(CheckedContinuation<Void, Never>)
        case ended
    }

    init(pool: MariaDBConnectionPool, connection: MariaDBConnection) {
        self.pool = ObjectIdentifier(pool)
        self.connection = connection
    }

    /// Whether the block that pinned the connection has returned.
    var hasEnded: Bool {
        use.withLock { state in
            switch state {
            case .free, .lent: false
            case .lentEnding, .ended: true
            }
        }
    }

    /// Lends the connection when it is neither lent nor ended.
    func lend() -> Bool {
        use.withLock { state in
            guard case .free = state else { return false }
            state = .lent
            return true
        }
    }

    /// Ends a lending; wakes the block's end when it waits for this one.
    func unlend() {
        let ending = use.withLock { state -> CheckedContinuation<Void, Never>? in
            switch state {
            case .lent:
                state = .free
                return nil
            case .lentEnding(let continuation):
                state = .ended
                return continuation
            case .free, .ended:
                return nil
            }
        }
        ending?.resume()
    }

    /// Ends the pin: no lending after this returns, and none is under way.
    func end() async {
        await use.withContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = use.withLock { state -> Bool in
                switch state {
                case .lent:
                    state = .lentEnding(continuation)
                    return false
                case .free, .lentEnding, .ended:
                    state = .ended
                    return true
                }
            }
            if ended { continuation.resume() }
        }
    }
}

extension MariaDBConnectionPool {
    /// The connection the current task is pinned to, if any.
    @TaskLocal static var pinned: PinnedConnection?

    /// Runs `body` pinned to one connection of the pool: every ``withConnection(idempotent:_:)``
    /// in `body` (so every repository operation) uses that connection, and `body` itself runs on
    /// the connection's own thread, so a statement is executed where the caller already is —
    /// no hand-off to another thread and back, as with a plain C client's thread.
    ///
    /// For a task that issues many operations one after another (a hub's consumer loop, a
    /// writer), each of which then skips two thread switches. While pinned, the task holds the
    /// connection even when idle, and its non-database work runs on the connection's thread
    /// too (which may block; it is not Swift's cooperative pool).
    ///
    /// The pin ends when `body` returns: a task started inside `body` (which inherits the pin)
    /// and still running afterwards uses the pool's other connections, as an unpinned task does.
    ///
    /// Failures keep the pool's behaviour: when the pinned connection is lost, operations go to
    /// other connections of the pool as usual, and `body` keeps running until it returns. A
    /// lending nested in another, such as a statement issued inside a transaction's body,
    /// gets a connection of its own, as without pinning.
    public func withPinnedConnection<T>(_ body: () async throws -> T) async throws -> T {
        if let pin = Self.pinned, pin.pool == ObjectIdentifier(self), !pin.hasEnded { return try await body() }
        let connection = try await acquire()
        let pin = PinnedConnection(pool: self, connection: connection)
        let result: Result<T, any Error>
        do {
            result = .success(
                try await withTaskExecutorPreference(connection.executor) {
                    try await Self.$pinned.withValue(pin) { try await body() }
                })
        } catch {
            result = .failure(error)
        }
        // A task started in `body` inherits the pin and may outlive it: from here on its
        // statements go to the pool, and one under way finishes before the connection is
        // returned (and lent to another caller, maybe into a transaction).
        await pin.end()
        await release(connection)
        return try result.get()
    }

    /// The pinned connection of the current task, when it is this pool's, usable, not lent
    /// already and its block has not returned; it is then lent until ``unlend(_:)``.
    func lendPinned() -> PinnedConnection? {
        guard let pin = Self.pinned, pin.pool == ObjectIdentifier(self), !pin.connection.isBroken, pin.lend() else {
            return nil
        }
        return pin
    }

    func unlend(_ pin: PinnedConnection) {
        pin.unlend()
    }
}

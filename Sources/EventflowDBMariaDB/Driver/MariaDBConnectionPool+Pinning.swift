import EventflowDB
import Synchronization

/// A pooled connection held by one task for a stretch of work.
final class PinnedConnection: Sendable {
    let pool: ObjectIdentifier
    let connection: MariaDBConnection
    /// Lent to one ``MariaDBConnectionPool/withConnection(idempotent:_:)`` at a time: a lending
    /// nested in another (a statement inside a transaction's body) gets a connection of its own.
    let isLent = Atomic<Bool>(false)

    init(pool: MariaDBConnectionPool, connection: MariaDBConnection) {
        self.pool = ObjectIdentifier(pool)
        self.connection = connection
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
    /// writer): Benchmarks/README.md measures what it saves. While pinned, the task holds the
    /// connection even when idle, and its non-database work runs on the connection's thread
    /// too (which may block; it is not Swift's cooperative pool).
    ///
    /// Failures keep the pool's behaviour: when the pinned connection is lost, operations go to
    /// other connections of the pool as usual, and `body` keeps running until it returns. A
    /// lending nested in another, such as a statement issued inside a transaction's body,
    /// gets a connection of its own, as without pinning.
    public func withPinnedConnection<T>(_ body: () async throws -> T) async throws -> T {
        if let pin = Self.pinned, pin.pool == ObjectIdentifier(self) { return try await body() }
        let connection = try await acquire()
        let pin = PinnedConnection(pool: self, connection: connection)
        do {
            let result = try await withTaskExecutorPreference(connection.executor) {
                try await Self.$pinned.withValue(pin) { try await body() }
            }
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// The pinned connection of the current task, when it is this pool's, usable and not lent
    /// already; it is then lent until ``unlend(_:)``.
    func lendPinned() -> PinnedConnection? {
        guard let pin = Self.pinned, pin.pool == ObjectIdentifier(self), !pin.connection.isBroken else { return nil }
        return pin.isLent.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged ? pin : nil
    }

    func unlend(_ pin: PinnedConnection) {
        pin.isLent.store(false, ordering: .releasing)
    }
}

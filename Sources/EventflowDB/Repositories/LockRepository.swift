/// Named locks shared by every process using the database.
///
/// Callers use the extension's method; a backend implements the requirement, which takes
/// checked values and has a name of its own (see ``EventRepository``).
public protocol LockRepository: Sendable {
    /// Runs `body` holding the lock, waiting at most `timeout` for it
    /// (``EventflowDBError/Code/lockTimeout``), and releases it however `body` ends. Inside the
    /// body ``LockFencing/token`` is the lock's fencing token where the backend has one.
    func holdLock<T: Sendable>(
        _ reference: Identifier, timeout: Timeout, _ body: @Sendable () async throws -> T
    ) async throws -> T
}

/// The fencing token of the lock the current task holds.
///
/// Inside a ``LockRepository/withLock(_:timeout:_:)`` body, ``token`` is a number
/// that grows each time that lock is taken (on a Galera cluster, where the lock is a lease, and
/// in memory). A resource that remembers the highest token it saw can refuse a holder whose lock
/// has since passed to another (a process paused past its lease). Nil outside a body, and on a
/// single MariaDB server, where the lock is the server's `GET_LOCK`, released when its
/// connection dies.
public enum LockFencing {
    @TaskLocal public static var token: UInt64?
}

extension LockRepository {
    /// Runs `body` while holding the lock named `reference`.
    ///
    /// The lock is always released, also when `body` throws.
    ///
    /// - Parameters:
    ///   - reference: The lock's name, 1–64 ASCII characters.
    ///   - timeout: How long to wait for the lock, at most a year.
    ///   - body: The work to do while holding the lock.
    /// - Throws: ``EventflowDBError/Code/lockTimeout`` when not acquired in time; whatever `body` throws.
    public func withLock<T: Sendable>(
        _ reference: String, timeout: Duration, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await holdLock(Identifier(reference, field: "reference"), timeout: Timeout(timeout, field: "timeout"), body)
    }
}

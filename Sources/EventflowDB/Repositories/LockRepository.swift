/// Named locks shared by every process using the database.
public protocol LockRepository: Sendable {
    /// Runs `body` while holding the lock named `reference`.
    ///
    /// The lock is always released, also when `body` throws.
    ///
    /// - Parameters:
    ///   - reference: The lock's name, 1–64 ASCII characters.
    ///   - timeout: How long to wait for the lock.
    /// - Throws: ``EventflowDBError/Code/lockTimeout`` when not acquired in time; whatever `body` throws.
    func withLock<T: Sendable>(
        _ reference: String, timeout: Duration, _ body: @Sendable () async throws -> T
    ) async throws -> T
}

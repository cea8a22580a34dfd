import EventflowDB

/// ``LockRepository`` on MariaDB: `GET_LOCK` held on one pooled connection for the whole body.
///
/// The lock is the server's, so it excludes every process using the same server; it is released
/// when the body ends, and by the server if the connection dies. The body runs while that
/// connection is held, so a pool of size 1 cannot serve the body's own queries.
///
/// On a Galera cluster `GET_LOCK` is local to one node: it does not exclude processes on others.
public struct MariaDBLockRepository: LockRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    public func withLock<T: Sendable>(
        _ reference: String, timeout: Duration, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try Validator.identifier(reference, field: "reference")
        try Validator.timeout(timeout, field: "timeout")
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return try await context.run(.lock, "could not use advisory lock '\(reference)'") { connection in
            guard try await NamedLock.acquire(reference, timeout: seconds, on: connection) == .acquired else {
                throw EventflowDBError(.lockTimeout, "advisory lock '\(reference)' is busy by a different process")
            }
            do {
                let value = try await body()
                try await NamedLock.release(reference, on: connection)
                return value
            } catch {
                // If releasing fails the connection is broken, and the server releases the lock with it.
                try? await NamedLock.release(reference, on: connection)
                throw error
            }
        }
    }
}

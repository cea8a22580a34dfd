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
            let result = try await connection.execute("SELECT GET_LOCK(?, ?)", [.string(reference), .double(seconds)])
            switch result.rows.first?[0] {
            case .int(1)?, .uint(1)?:
                break
            case .int(0)?, .uint(0)?:
                throw EventflowDBError(.lockTimeout, "advisory lock '\(reference)' is busy by a different process")
            default:
                throw EventflowDBError(.lock, "something is wrong with the query for the advisory lock '\(reference)'")
            }
            do {
                let value = try await body()
                _ = try await connection.execute("SELECT RELEASE_LOCK(?)", [.string(reference)])
                return value
            } catch {
                // If releasing fails the connection is broken, and the server releases the lock with it.
                _ = try? await connection.execute("SELECT RELEASE_LOCK(?)", [.string(reference)])
                throw error
            }
        }
    }
}

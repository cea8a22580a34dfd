public import EventflowDB
import Logging

/// ``/EventflowDB/LockRepository`` on MariaDB: `GET_LOCK` held on a connection of its own for the whole body.
///
/// The lock is the server's, so it excludes every process using the same server; it is released
/// when the body ends, and by the server if the connection dies. The lock's connection is not
/// one of the pool's, so any number of concurrent lockers leave the pool to their bodies.
///
/// While the body runs, the lock's connection is checked every second. When the lock is lost
/// (its connection died, the server restarted), the body is cancelled and the call fails with
/// ``/EventflowDB/EventflowDBError/Code/lockLost``: other processes may have held the lock meanwhile.
///
/// On a Galera cluster `GET_LOCK` is local to one node and excludes nothing across nodes: there
/// the lock is a lease row instead (``ClusterLease``), chosen automatically when the pool's
/// connections are to cluster nodes.
extension MariaDBRepository: LockRepository {
    /// How often a held lock's connection is checked.
    static let watchInterval: Duration = .seconds(1)

    public func holdLock<T: Sendable>(
        _ name: Identifier, timeout: Timeout, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let reference = name.value
        if try await context.isCluster() {
            return try await ClusterLease(context: context, name: reference).run(timeout: timeout.duration, body)
        }
        let seconds = timeout.seconds
        let logger = context.logger
        let limits = SessionLimits.namedLocks(within: context.pool.configuration.readTimeout)
        return try await context.withDedicatedConnection(
            .lock, "could not use advisory lock '\(reference)'", limits: limits
        ) { connection in
            let slice = NamedLock.slice(readTimeout: limits.readTimeout)
            guard try await NamedLock.acquire(reference, timeout: seconds, slice: slice, on: connection) == .acquired
            else {
                throw EventflowDBError(.lockTimeout, "advisory lock '\(reference)' is busy by a different process")
            }
            let outcome = await WatchedBody.run(body) {
                // Returns when the lock's connection no longer holds it (or, cancelled, once the body ended).
                while true {
                    do { try await Task.sleep(for: Self.watchInterval) } catch { return }
                    if (try? await NamedLock.isHeld(reference, on: connection)) != true { return }
                }
            }
            switch outcome {
            case .finished(let result):
                // The connection closes right after: a failed release ends with it.
                try? await NamedLock.release(reference, on: connection)
                return try result.get()
            case .lost:
                logger.error("advisory lock lost while its body ran", metadata: ["reference": "\(reference)"])
                throw EventflowDBError(
                    .lockLost,
                    """
                    advisory lock '\(reference)' was lost while its body \
                    ran (its connection to the database died): other processes \
                    may have held it too; the body was cancelled
                    """
                )
            }
        }
    }
}

extension MariaDBRepository {
    /// Runs `body` under a cluster lease (``ClusterLease``) with `timing`, on a cluster or not:
    /// for the package's tests of the lease against a single server.
    package func withLease<T: Sendable>(
        _ name: String, timeout: Duration, timing: LeaseTiming = .standard, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await ClusterLease(context: context, name: name, timing: timing).run(timeout: timeout, body)
    }
}

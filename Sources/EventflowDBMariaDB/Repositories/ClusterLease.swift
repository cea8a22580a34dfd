import EventflowDB
import Foundation
import Logging

/// A named lock that excludes across the nodes of a Galera cluster, where `GET_LOCK` is local to
/// one node: a lease row in `eventflow_lease`, taken by one conditional `UPDATE` in autocommit
/// (which Galera certifies cluster-wide, so exactly one taker wins), renewed while its holder
/// lives, and given back at the end.
///
/// - The lease lasts ``LeaseTiming/ttl``; the holder renews it every
///   ``LeaseTiming/renewInterval`` while the body runs. When a renewal finds the lease taken by
///   someone else, or at the deadline (the last successful renewal's sending + ttl − margin) that
///   a timer of its own watches, the body is cancelled and the call fails with
///   ``/EventflowDB/EventflowDBError/Code/lockLost``: before the lease can end on the server.
/// - A holder that dies stops renewing: the lease is free after at most ``LeaseTiming/ttl``
///   (30 s; 120 s for the migrator's).
/// - Each take increments the row's `token`: the body reads it as ``/EventflowDB/LockFencing/token``, a
///   fencing token a resource can use to refuse a stale holder.
/// - Expiry compares `NOW(6)` on the node that runs each statement: the nodes' clocks must agree
///   (NTP) to well within ``LeaseTiming/margin``.
struct ClusterLease {
    let context: MariaDBContext
    let name: String
    var timing = LeaseTiming.standard
    /// Who holds the lease: random per take.
    let owner: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }

    /// Runs `body` while holding the lease, waiting up to `timeout` for it.
    ///
    /// The holder gives the lease up at its deadline (``LeaseDeadline``): the moment its take or
    /// last successful renewal was sent, plus ``LeaseTiming/ttl``, minus ``LeaseTiming/margin``,
    /// whatever its renewals are doing then. The body is cancelled and awaited, and the call
    /// fails with ``/EventflowDB/EventflowDBError/Code/lockLost``, before the lease ends on the server.
    func run<T: Sendable>(timeout: Duration, _ body: @Sendable () async throws -> T) async throws -> T {
        try await context.ensureLeaseTable()
        let (token, sent) = try await acquire(within: timeout)
        let deadline = LeaseDeadline(sent + timing.ttl - timing.margin)
        let lease = self
        let outcome = await WatchedBody.run {
            try await LockFencing.$token.withValue(token) { try await body() }
        } watch: {
            let renewals = Task { await lease.renew(token: token, until: deadline) }
            await deadline.expired(checkingEvery: lease.timing.renewInterval)
            renewals.cancel()
        }
        switch outcome {
        case .finished(let result):
            await release(token: token, waitingAtMostUntil: deadline.instant)
            return try result.get()
        case .lost:
            // Best effort, not awaited: the server may not answer. It matches only while ours.
            Task { try? await lease.release(token: token) }
            context.logger.error("cluster lease lost while its body ran", metadata: ["reference": "\(name)"])
            throw EventflowDBError(
                .lockLost,
                """
                lock '\(name)' was lost while its body ran (its lease could not be renewed \
                before it expired, or another holder took it): other processes may have held \
                it too; the body was cancelled
                """
            )
        }
    }

    /// Renews every ``LeaseTiming/renewInterval`` until cancelled. Each renewal runs in a task of
    /// its own, not awaited here: one stuck on a hung node leaves the next free to try another
    /// connection (at most two at once).
    private func renew(token: UInt64, until deadline: LeaseDeadline) async {
        while true {
            do {
                try await Task.sleep(for: timing.renewInterval)
            } catch {
                return
            }
            guard deadline.beginRenewal(limit: 2) else { continue }
            let lease = self
            Task {
                defer { deadline.endRenewal() }
                let sent = ContinuousClock.now
                do {
                    if try await lease.renew(token: token) {
                        deadline.renewed(sentAt: sent, timing: lease.timing)
                    } else {
                        deadline.taken()
                    }
                } catch {
                    // A node may be gone or hung: the next renewal may reach another; the deadline decides.
                }
            }
        }
    }

    /// Gives the lease back, waiting for the reply at most until `limit` (the lease ends on the
    /// server by itself later).
    private func release(token: UInt64, waitingAtMostUntil limit: ContinuousClock.Instant) async {
        let done = OneShot<Void>()
        let lease = self
        Task {
            try? await lease.release(token: token)
            done.set(())
        }
        let timer = Task {
            try? await Task.sleep(until: limit, clock: .continuous)
            done.set(())
        }
        await done.value()
        timer.cancel()
    }

    /// Takes the lease, trying again every 50–250 ms until `timeout`. Returns its token and when
    /// the attempt that took it began (no later than the server's `NOW(6)` of the take).
    private func acquire(within timeout: Duration) async throws -> (token: UInt64, sent: ContinuousClock.Instant) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let sent = ContinuousClock.now
            if let token = try await tryTake() {
                // A take whose reply came too late to leave time for the body is given back
                // (the body never ran) and tried again while the timeout lasts.
                if ContinuousClock.now < sent + timing.ttl - timing.margin - timing.renewInterval {
                    return (token, sent)
                }
                await release(token: token, waitingAtMostUntil: sent + timing.ttl)
            }
            guard ContinuousClock.now < deadline else {
                throw EventflowDBError(.lockTimeout, "advisory lock '\(name)' is busy by a different process")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...250)))
        }
    }

    /// One attempt: ensure the row, then the conditional take. A take that loses Galera's
    /// certification (a deadlock) lost to another taker. After a lost reply, the row says
    /// whether this owner took it.
    private func tryTake() async throws -> UInt64? {
        let take: MariaDBQuery =
            """
            UPDATE eventflow_lease SET owner = \(owner), token = token + 1, \
            expires = NOW(6) + INTERVAL \(timing.ttlMicroseconds) MICROSECOND \
            WHERE name = \(name) AND (owner IS NULL OR expires < NOW(6))
            """
        do {
            return try await context.run(.lock, "could not take lock '\(name)'", retry: .recoverable) {
                connection, attempt in
                try await connection.execute("INSERT IGNORE INTO eventflow_lease (name) VALUES (\(name))")
                if attempt.afterUnknownOutcome, let token = try await heldToken(on: connection) { return token }
                guard try await connection.execute(take).affectedRows == 1 else { return nil }
                return try await heldToken(on: connection)
            }
        } catch let error as EventflowDBError where (error.underlying as? DatabaseError)?.kind == .deadlock {
            return nil
        }
    }

    /// The lease's token when this owner holds it.
    private func heldToken(on connection: MariaDBConnection) async throws -> UInt64? {
        let rows = try await connection.execute(
            "SELECT token FROM eventflow_lease WHERE name = \(name) AND owner = \(owner) AND expires > NOW(6)")
        return try rows.rows.first.map { UInt64(try $0.int(0)) }
    }

    /// Extends the lease; false when this owner no longer holds it.
    private func renew(token: UInt64) async throws -> Bool {
        try await context.changesRows(
            .lock, "could not renew lock '\(name)'", retry: .idempotent,
            """
            UPDATE eventflow_lease SET expires = NOW(6) + INTERVAL \(timing.ttlMicroseconds) MICROSECOND \
            WHERE name = \(name) AND owner = \(owner) AND token = \(token)
            """)
    }

    private func release(token: UInt64) async throws {
        _ = try await context.changesRows(
            .lock, "could not release lock '\(name)'", retry: .idempotent,
            "UPDATE eventflow_lease SET owner = NULL WHERE name = \(name) AND owner = \(owner) AND token = \(token)")
    }
}

extension MariaDBContext {
    /// Creates the lease table once per context (on a cluster, DDL runs on every node in total
    /// order). A primary key, InnoDB: what Galera replicates.
    func ensureLeaseTable() async throws {
        guard !leaseTableReady.withLock({ $0 }) else { return }
        try await run(.lock, "could not create the lock table", retry: .idempotent) { connection, _ in
            _ = try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS eventflow_lease (
                  name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
                  owner VARBINARY(16) NULL,
                  token BIGINT UNSIGNED NOT NULL DEFAULT 0,
                  expires DATETIME(6) NOT NULL DEFAULT '1970-01-01 00:00:00'
                ) ENGINE = InnoDB
                """)
        }
        leaseTableReady.withLock { $0 = true }
    }

    /// Whether the database is a Galera cluster: asked once, of a pooled connection.
    func isCluster() async throws -> Bool {
        if let known = clusterKnown.withLock({ $0 }) { return known }
        let cluster = try await run(.lock, "could not reach the database", retry: .read) { connection, _ in
            connection.isClusterNode
        }
        clusterKnown.withLock { $0 = cluster }
        return cluster
    }
}

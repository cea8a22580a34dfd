public import EventflowDB
import Foundation

/// ``/EventflowDB/EventPublishedRepository/claimNextDelivery(hub:lease:maxAttempts:)`` on MariaDB.
///
/// One short transaction at READ COMMITTED (no gap locks, so publishes never wait for it):
/// `SELECT … ORDER BY published, event_id LIMIT 1 FOR UPDATE SKIP LOCKED` takes the oldest
/// pending row no other claimer holds, the claim's conditional `UPDATE` takes it (the same
/// condition as ``/EventflowDB/DeliveryChange/claim(eventID:hub:lease:maxAttempts:)``, writing a
/// fresh claim token), and the row is read back with its event before `COMMIT`. Concurrent hubs
/// skip each other's rows instead of trying them; on a Galera cluster two nodes may pick the same
/// row, one loses certification at `COMMIT` (a deadlock, rolled back) and tries again, from a
/// random place among the next rows (up to 64 on), so hubs on different nodes stop picking the
/// same one (in the cluster's contract run, 8 hubs over 3 nodes always picking the oldest ran out
/// of 3 attempts). After a lost reply the next attempt first looks for the row holding the token:
/// the lost attempt's claim is answered, never left behind unknown.
extension MariaDBRepository {
    public func claimNextDelivery(hub: Identifier, lease: Timeout, maxAttempts: Int) async throws -> PendingDelivery? {
        let token = ClaimTokens.make()
        var tries = 0
        while true {
            do {
                return try await claimNext(
                    hub: hub, lease: lease, maxAttempts: maxAttempts, token: token, tries: &tries)
            } catch let error as EventflowDBError
                where (error.underlying as? DatabaseError)?.kind == .deadlock && tries < Self.claimNextTries
            {
                continue  // rolled back: nothing of it stayed
            }
        }
    }

    /// How many claims one call tries at most when claims of other nodes keep winning the rows.
    static let claimNextTries = 12

    /// One run of attempts (as the context retries them); `tries` counts every attempt.
    private func claimNext(
        hub: Identifier, lease: Timeout, maxAttempts: Int, token: String, tries: inout Int
    ) async throws -> PendingDelivery? {
        let context = context
        return try await context.run(.eventPublishedCreate, "could not claim the next delivery", retry: .recoverable) {
            connection, attempt in
            tries += 1
            let now = ReadBound.clamp(context.now())
            let oldest = pending(
                MariaDBColumns(["event_id"]).qualified(by: "p"), try Cutoff(nil, field: "publishedBefore", limit: 1),
                after: nil, attemptsBelow: maxAttempts)
            // After a lost race, somewhere among the next rows: the oldest one first otherwise.
            let offset = tries == 1 ? 0 : Int.random(in: 0..<min(64, 8 * tries))
            var next = oldest
            next.append(" FOR UPDATE SKIP LOCKED")
            var spread = oldest
            spread.append(" OFFSET \(offset) FOR UPDATE SKIP LOCKED")
            let queries = offset == 0 ? [next] : [spread, next]
            let leaseEnd = ReadBound.clamp(now.addingTimeInterval(lease.seconds))
            let claim: @Sendable (String) -> MariaDBQuery = { eventID in
                """
                UPDATE event_published SET consumed_hub = \(now.truncatedToSeconds), hub = \(hub), \
                consumed_hub_claim = \(token), lease_until = \(leaseEnd), retry_at = NULL, attempts = attempts + 1 \
                WHERE event_id = \(eventID) AND \(DeliverySQL.pending(at: now)) AND attempts < \(maxAttempts)
                """
            }
            let won: MariaDBQuery = """
                SELECT \(unescaped: PendingDelivery.columns) FROM event_published p JOIN event e ON e.id = p.event_id \
                WHERE p.consumed_hub_claim = \(token) AND p.hub = \(hub)
                """
            return try await connection.perform { connection -> PendingDelivery? in
                // The lost attempt's claim, if it committed.
                if attempt.afterUnknownOutcome, let earlier = try connection.fetch(PendingDelivery.self, won).first {
                    return earlier
                }
                _ = try connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                _ = try connection.query("START TRANSACTION")
                do {
                    let result = try Self.claimFirst(
                        next: queries, claim: claim, won: won, on: connection)
                    _ = try connection.query("COMMIT")
                    return result
                } catch {
                    if (try? connection.query("ROLLBACK")) == nil { connection.markBroken() }
                    throw error
                }
            }
        }
    }

    /// Inside the transaction: the first row the `next` queries find (the later ones when the
    /// earlier find none), claimed and read back; nil when there is none.
    private static func claimFirst(
        next: [MariaDBQuery], claim: (String) -> MariaDBQuery, won: MariaDBQuery,
        on connection: isolated MariaDBConnection
    ) throws -> PendingDelivery? {
        var found: String?
        for query in next where found == nil {
            found = try connection.execute(query).rows.first.map { try $0.string(0) }
        }
        guard let eventID = found else { return nil }
        // The row is locked and matched the same condition: the claim takes it.
        guard try connection.execute(claim(eventID)).affectedRows == 1 else { return nil }
        return try connection.fetch(PendingDelivery.self, won).first
    }
}

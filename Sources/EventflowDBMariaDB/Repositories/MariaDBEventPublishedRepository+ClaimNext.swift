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
/// row, one loses certification at `COMMIT` (a deadlock, rolled back) and its next attempt takes
/// another. After a lost reply the next attempt first looks for the row holding the token: the
/// lost attempt's claim is answered, never left behind unknown.
extension MariaDBRepository {
    public func claimNextDelivery(hub: Identifier, lease: Timeout, maxAttempts: Int) async throws -> PendingDelivery? {
        let token = ClaimTokens.make()
        let context = context
        return try await context.run(.eventPublishedCreate, "could not claim the next delivery", retry: .recoverable) {
            connection, attempt in
            let now = ReadBound.clamp(context.now())
            let next = pending(
                MariaDBColumns(["event_id"]).qualified(by: "p"), try Cutoff(nil, field: "publishedBefore", limit: 1),
                after: nil, attemptsBelow: maxAttempts)
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
                    let result = try Self.claimFirst(next: next, claim: claim, won: won, on: connection)
                    _ = try connection.query("COMMIT")
                    return result
                } catch {
                    if (try? connection.query("ROLLBACK")) == nil { connection.markBroken() }
                    throw error
                }
            }
        }
    }

    /// Inside the transaction: the first pending row no one else holds, claimed and read back;
    /// nil when there is none.
    private static func claimFirst(
        next: MariaDBQuery, claim: (String) -> MariaDBQuery, won: MariaDBQuery,
        on connection: isolated MariaDBConnection
    ) throws -> PendingDelivery? {
        var locked = next
        locked.append(" FOR UPDATE SKIP LOCKED")
        guard let eventID = try connection.execute(locked).rows.first.map({ try $0.string(0) }) else { return nil }
        // The row is locked and matched the same condition: the claim takes it.
        guard try connection.execute(claim(eventID)).affectedRows == 1 else { return nil }
        return try connection.fetch(PendingDelivery.self, won).first
    }
}

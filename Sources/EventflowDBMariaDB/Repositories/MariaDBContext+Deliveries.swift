import EventflowDB
import Foundation

/// The conditions of the delivery lifecycle over `event_published`'s columns, in one place.
enum DeliverySQL {
    /// ` AND` no success, failed or orphan stamp.
    static let unfinished: MariaDBQuery = " AND success IS NULL AND failed IS NULL AND orphan IS NULL"

    /// Unfinished, not held (never claimed, or its lease ended), and past any back-off.
    /// `alias` is `"p."` or empty; it comes from the code, never from callers.
    static func pending(at now: Date, alias: String = "") -> MariaDBQuery {
        """
        \(unescaped: alias)success IS NULL AND \(unescaped: alias)failed IS NULL AND \(unescaped: alias)orphan IS NULL \
        AND (\(unescaped: alias)consumed_hub IS NULL OR \(unescaped: alias)lease_until <= \(now)) \
        AND (\(unescaped: alias)retry_at IS NULL OR \(unescaped: alias)retry_at <= \(now))
        """
    }

    /// ` AND` claimed by `hub` (with a lease or without, expired or not) and unfinished.
    static func held(by hub: Identifier) -> MariaDBQuery {
        " AND consumed_hub IS NOT NULL AND hub = \(hub)\(unfinished)"
    }

    /// ` AND` a dead letter with this failed stamp and these attempts.
    static func deadLetter(failed: Date, attempts: Int) -> MariaDBQuery {
        """
         AND success IS NULL AND orphan IS NULL AND failed = \(failed.truncatedToSeconds) \
        AND attempts = \(attempts)
        """
    }
}

extension MariaDBContext {
    /// Carries out `change` as one conditional `UPDATE` in autocommit that writes a fresh random
    /// token into one of the row's token columns. When the reply is lost the update is attempted
    /// again; when it then changes nothing, the token read back says whether the lost attempt did.
    func changeDelivery(_ change: DeliveryChange) async throws -> Bool {
        let token = ClaimTokens.make()
        let now = ReadBound.clamp(now())
        let stamp = now.truncatedToSeconds
        func ending(after duration: Timeout) -> Date { ReadBound.clamp(now.addingTimeInterval(duration.seconds)) }
        let id = change.eventID
        var update: MariaDBQuery
        var readBack: MariaDBQuery =
            """
            SELECT COUNT(*) FROM event_published WHERE event_id = \(id) AND (consumed_hub_claim <=> \(token) \
            OR failed_claim <=> \(token) OR success_claim <=> \(token) OR orphan_claim <=> \(token) \
            OR requeue_claim <=> \(token))
            """
        switch change {
        case .claim(_, let hub, let lease, let maxAttempts):
            update = """
                UPDATE event_published SET consumed_hub = \(stamp), hub = \(hub), consumed_hub_claim = \(token), \
                lease_until = \(ending(after: lease)), retry_at = NULL, attempts = attempts + 1 \
                WHERE event_id = \(id) AND \(DeliverySQL.pending(at: now)) AND attempts < \(maxAttempts)
                """
        case .renew(_, let hub, let lease):
            let end = ending(after: lease)
            update = """
                UPDATE event_published SET lease_until = \(end) \
                WHERE event_id = \(id)\(DeliverySQL.held(by: hub)) AND lease_until IS NOT NULL
                """
            readBack = """
                SELECT COUNT(*) FROM event_published \
                WHERE event_id = \(id)\(DeliverySQL.held(by: hub)) AND lease_until = \(end)
                """
        case .succeed(_, let hub):
            update = """
                UPDATE event_published SET success = \(stamp), success_claim = \(token), lease_until = NULL \
                WHERE event_id = \(id)\(DeliverySQL.held(by: hub))
                """
        case .fail(_, let hub, let maxAttempts, let retryAfter):
            // At the maximum a dead letter (failed stamped, the claim kept as the record of who
            // tried last); below it pending again after the back-off.
            let last: MariaDBQuery = "attempts >= \(maxAttempts)"
            update = """
                UPDATE event_published SET failed = IF(\(last), \(stamp), NULL), \
                failed_claim = IF(\(last), \(token), failed_claim), \
                retry_at = IF(\(last), NULL, \(ending(after: retryAfter))), \
                consumed_hub_claim = IF(\(last), consumed_hub_claim, \(token)), \
                consumed_hub = IF(\(last), consumed_hub, NULL), lease_until = NULL \
                WHERE event_id = \(id)\(DeliverySQL.held(by: hub))
                """
        case .release(_, let hub):
            update = """
                UPDATE event_published SET consumed_hub = NULL, consumed_hub_claim = \(token), lease_until = NULL \
                WHERE event_id = \(id)\(DeliverySQL.held(by: hub)) AND lease_until IS NOT NULL
                """
        case .exhaust(_, let maxAttempts):
            update = """
                UPDATE event_published SET failed = \(stamp), failed_claim = \(token), lease_until = NULL \
                WHERE event_id = \(id)\(DeliverySQL.unfinished) \
                AND (consumed_hub IS NULL OR lease_until <= \(now)) AND attempts >= \(maxAttempts)
                """
        case .requeue(_, let failed, let attempts):
            update = """
                UPDATE event_published SET failed = NULL, failed_claim = NULL, attempts = 0, consumed_hub = NULL, \
                consumed_hub_claim = NULL, lease_until = NULL, retry_at = NULL, requeue_claim = \(token) \
                WHERE event_id = \(id)\(DeliverySQL.deadLetter(failed: failed, attempts: attempts))
                """
        case .discard(_, let failed, let attempts):
            update = """
                UPDATE event_published SET orphan = \(stamp), orphan_claim = \(token) \
                WHERE event_id = \(id)\(DeliverySQL.deadLetter(failed: failed, attempts: attempts))
                """
        }
        let statement = update
        let check = readBack
        return try await run(change.errorCode, "could not change a delivery", retry: .recoverable) {
            connection, attempt in
            if try await connection.perform({ try $0.execute(statement) }).affectedRows == 1 { return true }
            guard attempt.afterUnknownOutcome else { return false }
            return try await connection.execute(check).rows.first?.int(0) == 1
        }
    }
}

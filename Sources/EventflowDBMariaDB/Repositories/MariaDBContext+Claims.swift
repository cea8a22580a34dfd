import EventflowDB

/// Claims: exactly one caller wins, and the winner is told so, also when a reply is lost.
extension MariaDBContext {
    /// One claimable column of a table: the claim time, its claimant column and its token column.
    /// The names come from this fixed list only, never from callers.
    struct ClaimColumns: Sendable {
        let table: String
        let claimed: String
        let claimant: String?
        let token: String
        /// The claim's name in metrics.
        let metricName: String

        static let publishedByHub = ClaimColumns(
            table: "event_published", claimed: "consumed_hub", claimant: "hub", token: "consumed_hub_claim",
            metricName: "published_hub")
        static let publishedBySpoke = ClaimColumns(
            table: "event_published", claimed: "consumed_spoke", claimant: "consumer", token: "consumed_spoke_claim",
            metricName: "published_spoke")
        static let scheduledExecuted = ClaimColumns(
            table: "event_scheduled", claimed: "executed", claimant: nil, token: "executed_claim",
            metricName: "scheduled")
    }

    /// Claims the row of `eventID`: one conditional `UPDATE` in autocommit that sets the claim
    /// time, the claimant and a random token while the claim time is NULL.
    ///
    /// True only for the caller whose update committed. When a connection is lost after the
    /// update was sent, or the server picked it as a deadlock victim (on a Galera cluster:
    /// a certification failure), the claim is attempted again on a fresh connection; when the
    /// row is then found claimed, the token read back says whether the earlier attempt won.
    /// When no attempt can settle it, the error has ``/EventflowDB/EventflowDBError/isOutcomeUnknown`` and the
    /// token is kept, so the same caller's retry of this claim still learns that it won.
    func claim(
        _ columns: ClaimColumns, eventID: String, claimant: String, code: EventflowDBError.Code, message: String
    ) async throws -> Bool {
        let key = columns.token + "\u{0}" + eventID + "\u{0}" + claimant
        let earlier = claims.take(key)
        let token = earlier ?? ClaimTokens.make()
        let now = now().truncatedToSeconds
        var update: MariaDBQuery =
            """
            UPDATE \(unescaped: columns.table) SET \(unescaped: columns.claimed) \
            = \(now), \(unescaped: columns.token) = \(token)
            """
        if let claimantColumn = columns.claimant { update.append(", \(unescaped: claimantColumn) = \(claimant)") }
        update.append(" WHERE event_id = \(eventID) AND \(unescaped: columns.claimed) IS NULL")
        let readBack: MariaDBQuery =
            "SELECT \(unescaped: columns.token) FROM \(unescaped: columns.table) WHERE event_id = \(eventID)"
        do {
            let won = try await run(code, message, retry: .recoverable, afterUnknownOutcome: earlier != nil) {
                connection, attempt in
                let claim = update
                if try await connection.perform({ try $0.execute(claim) }).affectedRows == 1 { return true }
                guard attempt.afterUnknownOutcome else { return false }
                // Claimed by now: by an earlier attempt of ours exactly when it holds our token.
                let stored = try await connection.execute(readBack).rows.first
                let won = try stored?.optionalString(0) == token
                if won { logger.info("a claim whose reply was lost had won", metadata: ["event": "\(eventID)"]) }
                return won
            }
            instruments.claimed(columns.metricName, won: won)
            return won
        } catch let error as EventflowDBError where error.isOutcomeUnknown {
            claims.keep(token, for: key)
            throw error
        }
    }
}

public import EventflowDB
public import Foundation

/// ``/EventflowDB/EventScheduledRepository`` on MariaDB. Each change of a run is one conditional
/// `UPDATE` in autocommit, so a claim is won by exactly one caller; a claim (and a success or
/// discard) updates the event's published delivery in the same statement (a multi-table
/// `UPDATE`), so the run and the published delivery never both deliver the event.
extension MariaDBRepository: EventScheduledRepository {
    public func insertScheduledEvent(_ scheduled: Validated<NewEventScheduled>) async throws -> Bool {
        try await context.changesRows(
            .scheduledEventPersist, "could not persist the scheduled event",
            """
            INSERT INTO event_scheduled (event_id, timestamp, scheduled) VALUES (\(scheduled.eventID),
            \(context.now().truncatedToSeconds), \(scheduled.scheduled.truncatedToSeconds))
            ON DUPLICATE KEY UPDATE event_id = event_id
            """)
    }

    public func fetchScheduledEvents(_ query: ScheduledQuery) async throws -> [ScheduledEvent] {
        let columns = ScheduledEvent.columns
        let select: MariaDBQuery
        switch query {
        case .due(let cutoff):
            let due = ReadBound.clamp(cutoff.time ?? context.now())
            select = """
                SELECT \(unescaped: columns) \(ScheduledRunSQL.from) WHERE \(ScheduledRunSQL.due(at: due)) \
                AND \(ScheduledRunSQL.notClaimedByPublished) ORDER BY \(ScheduledRunSQL.dueTime), e.seq \
                LIMIT \(cutoff.limit ?? .max)
                """
        case .unfinished(let cutoff):
            let before = ReadBound.clamp(cutoff.time ?? context.now())
            select = """
                SELECT \(unescaped: columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id \
                WHERE s.executed <= \(before) AND \(ScheduledRunSQL.unfinished) ORDER BY s.executed, e.seq \
                LIMIT \(cutoff.limit ?? .max)
                """
        case .deadLetters(let cutoff):
            let at = ReadBound.clamp(cutoff.time ?? context.now())
            select = """
                SELECT \(unescaped: columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id \
                WHERE \(ScheduledRunSQL.deadLetter(at: at)) ORDER BY s.scheduled, e.seq LIMIT \(cutoff.limit ?? .max)
                """
        case .run(let eventID):
            select = ScheduledRunSQL.run(eventID.value)
        }
        return try await context.fetch(
            query.failureCode, "could not read scheduled events", ScheduledEvent.self, select)
    }

    public func fetchNextScheduledTime() async throws -> Date? {
        let query: MariaDBQuery = """
            SELECT MIN(t) FROM (SELECT \(ScheduledRunSQL.dueTime) AS t \(ScheduledRunSQL.from) \
            WHERE s.executed IS NULL AND \(ScheduledRunSQL.unfinished) AND \(ScheduledRunSQL.notClaimedByPublished) \
            UNION ALL SELECT s.lease_expires AS t \(ScheduledRunSQL.from) WHERE s.executed IS NOT NULL \
            AND s.lease_expires IS NOT NULL AND s.attempts < s.max_attempts AND \(ScheduledRunSQL.unfinished) \
            AND \(ScheduledRunSQL.notClaimedByPublished)) next
            """
        let rows = try await context.run(.scheduledEventRead, "could not read the next scheduled time", retry: .read) {
            try await $0.execute(query).rows
        }
        return try rows.first?.optionalDate(0)
    }

    public func changeScheduledRun(_ change: ScheduledRunChange) async throws -> ScheduledEvent? {
        let id = change.eventID.value
        let now = context.now()
        let seconds = now.truncatedToSeconds
        // A claim reuses the token of this caller's earlier claim whose outcome stayed unknown.
        let claimKey = "executed_claim\u{0}" + id + "\u{0}"
        let earlierClaim: String? =
            switch change {
            case .claim, .claimWithoutLease: context.claims.take(claimKey)
            default: nil
            }
        let token = earlierClaim ?? ClaimTokens.make()
        let message = "could not change the scheduled run"
        switch change {
        case .claim(_, let policy):
            let lease = ScheduledRunSQL.adding(policy.lease, to: now)
            return try await changeOnce(
                change, tokenColumn: "executed_claim", token: token, claim: (claimKey, earlierClaim != nil),
                """
                UPDATE event_scheduled s LEFT JOIN event_published p ON p.event_id = s.event_id \
                SET s.executed = \(seconds), s.executed_claim = \(token), s.attempts = s.attempts + 1, \
                s.max_attempts = \(policy.maxAttempts), s.lease_expires = \(lease), s.retry_at = NULL, \
                p.consumed_hub = COALESCE(p.consumed_hub, \(seconds)), \
                p.consumed_hub_claim = \(ScheduledRunSQL.publishedHold) \
                WHERE s.event_id = \(id) AND \(ScheduledRunSQL.due(at: now.truncatedToMilliseconds)) \
                AND s.attempts < \(policy.maxAttempts) AND \(ScheduledRunSQL.notClaimedByPublished)
                """)
        case .claimWithoutLease:
            return try await changeOnce(
                change, tokenColumn: "executed_claim", token: token, claim: (claimKey, earlierClaim != nil),
                """
                UPDATE event_scheduled s LEFT JOIN event_published p ON p.event_id = s.event_id \
                SET s.executed = \(seconds), s.executed_claim = \(token), s.attempts = s.attempts + 1, \
                s.lease_expires = NULL, s.retry_at = NULL, p.consumed_hub = COALESCE(p.consumed_hub, \(seconds)), \
                p.consumed_hub_claim = \(ScheduledRunSQL.publishedHold) \
                WHERE s.event_id = \(id) AND s.executed IS NULL AND \(ScheduledRunSQL.notClaimedByPublished)
                """)
        case .renew(_, let attempt, let lease):
            let end = ScheduledRunSQL.adding(lease, to: now)
            let update: MariaDBQuery = """
                UPDATE event_scheduled s SET s.lease_expires = \(end) WHERE s.event_id = \(id) \
                AND s.attempts = \(attempt) AND s.executed IS NOT NULL AND s.lease_expires IS NOT NULL \
                AND \(ScheduledRunSQL.unfinished)
                """
            // Repeating it is harmless; the row read back says whether the claim still holds
            // (an update to the same millisecond changes no row).
            return try await context.run(change.failureCode, message, retry: .recoverable) { connection, _ in
                _ = try await connection.execute(update)
                let run = try await Self.read(id, on: connection)
                guard let run, run.attempts == attempt, run.executed != nil, run.leaseExpires != nil,
                    run.success == nil, run.failed == nil, run.discarded == nil
                else { return nil }
                return run
            }
        case .succeed(_, let attempt):
            return try await changeOnce(
                change, tokenColumn: "success_claim", token: token,
                """
                UPDATE event_scheduled s LEFT JOIN event_published p ON p.event_id = s.event_id \
                AND p.consumed_hub_claim <=> \(ScheduledRunSQL.publishedHold) \
                SET s.success = \(seconds), s.success_claim = \(token), p.success = COALESCE(p.success, \(seconds)) \
                WHERE s.event_id = \(id) AND s.attempts = \(attempt) AND s.executed IS NOT NULL \
                AND \(ScheduledRunSQL.unfinished)
                """)
        case .fail(_, let attempt, let backoff):
            let retryAt = ScheduledRunSQL.adding(backoff, to: now)
            let retry: MariaDBQuery = "s.attempts < s.max_attempts"
            return try await changeOnce(
                change, tokenColumn: "failed_claim", token: token,
                """
                UPDATE event_scheduled s SET s.failed_claim = \(token), \
                s.retry_at = IF(\(retry), \(retryAt), NULL), s.failed = IF(\(retry), NULL, \(seconds)), \
                s.lease_expires = IF(\(retry), NULL, s.lease_expires), \
                s.executed_claim = IF(\(retry), NULL, s.executed_claim), s.executed = IF(\(retry), NULL, s.executed) \
                WHERE s.event_id = \(id) AND s.attempts = \(attempt) AND s.executed IS NOT NULL \
                AND \(ScheduledRunSQL.unfinished)
                """)
        case .stamp(_, let outcome):
            guard
                try await context.stampOnce(
                    table: "event_scheduled", column: outcome.rawValue, eventID: id, code: outcome.errorCode)
            else { return nil }
            return try await fetchScheduledEvents(.run(change.eventID)).first
        case .requeue(_, let seen):
            return try await changeWithoutRetry(
                change,
                """
                UPDATE event_scheduled s SET s.executed = NULL, s.executed_claim = NULL, s.failed = NULL, \
                s.failed_claim = NULL, s.attempts = 0, s.max_attempts = NULL, s.lease_expires = NULL, s.retry_at = NULL \
                WHERE s.event_id = \(id) AND \(ScheduledRunSQL.deadLetter(at: now.truncatedToMilliseconds)) \
                AND s.attempts = \(seen.attempts) AND s.executed <=> \(seen.executed) AND s.failed <=> \(seen.failed)
                """)
        case .discard:
            return try await changeWithoutRetry(
                change,
                """
                UPDATE event_scheduled s LEFT JOIN event_published p ON p.event_id = s.event_id \
                AND p.consumed_hub_claim <=> \(ScheduledRunSQL.publishedHold) \
                SET s.discarded = \(seconds), p.orphan = COALESCE(p.orphan, \(seconds)) \
                WHERE s.event_id = \(id) AND \(ScheduledRunSQL.deadLetter(at: now.truncatedToMilliseconds))
                """)
        }
    }

    public func removeScheduledEventsFinished(_ cutoff: Cutoff) async throws -> Int {
        let before = (cutoff.time ?? context.now()).truncatedToMilliseconds
        return try await context.deleteFinished(
            .retentionDelete, "could not delete finished schedules", table: "event_scheduled",
            finished: RetentionBatch.finishedSchedules(before: before), limit: cutoff.limit)
    }

    /// A change that writes `token` to `tokenColumn`: attempted again after a lost reply, and
    /// when the row no longer matches, the token read back says whether the lost attempt made it.
    ///
    /// A claim (`claim` names its key in the claim-token registry, and whether this caller's
    /// earlier claim left its token there) keeps its token when its outcome stays unknown, so
    /// the same caller's retry learns that it won; it is counted in the claim metrics.
    private func changeOnce(
        _ change: ScheduledRunChange, tokenColumn: String, token: String,
        claim: (key: String, afterUnknownOutcome: Bool)? = nil, _ update: MariaDBQuery
    ) async throws -> ScheduledEvent? {
        let id = change.eventID.value
        let readBack: MariaDBQuery =
            "SELECT \(unescaped: tokenColumn) FROM event_scheduled WHERE event_id = \(id)"
        do {
            let run = try await context.run(
                change.failureCode, "could not change the scheduled run", retry: .recoverable,
                afterUnknownOutcome: claim?.afterUnknownOutcome ?? false
            ) { connection, attempt in
                if try await connection.execute(update).affectedRows == 0 {
                    guard attempt.afterUnknownOutcome,
                        try await connection.execute(readBack).rows.first?.optionalString(0) == token
                    else { return ScheduledEvent?.none }
                }
                return try await Self.read(id, on: connection)
            }
            if claim != nil { context.instruments.claimed("scheduled", won: run != nil) }
            return run
        } catch let error as EventflowDBError where error.isOutcomeUnknown {
            if let claim { context.claims.keep(token, for: claim.key) }
            throw error
        }
    }

    /// A change that is not repeated after a lost reply (its outcome is then unknown).
    private func changeWithoutRetry(
        _ change: ScheduledRunChange, _ update: MariaDBQuery
    ) async throws
        -> ScheduledEvent?
    {
        let id = change.eventID.value
        return try await context.run(change.failureCode, "could not change the scheduled run", retry: .never) {
            connection, _ in
            guard try await connection.execute(update).affectedRows > 0 else { return nil }
            return try await Self.read(id, on: connection)
        }
    }

    /// The run of `eventID` as it is now.
    private static func read(_ eventID: String, on connection: MariaDBConnection) async throws -> ScheduledEvent? {
        try await connection.perform { try $0.fetch(ScheduledEvent.self, ScheduledRunSQL.run(eventID)) }.first
    }
}

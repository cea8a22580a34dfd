import EventflowDB
import Foundation

/// One retention batch: the finished rows of a delivery or schedule table, smallest event id
/// first, deleted without locking any row that is not deleted.
///
/// A single `DELETE … WHERE finished ORDER BY event_id LIMIT n` has no index for its condition:
/// it walks the primary key and, under REPEATABLE READ, keeps a lock on every row it passes,
/// finished or not, until it ends; the last batch of a run passes the whole table. Claims on
/// pending rows then wait for it. Instead the batch finds its rows with a consistent read (no
/// locks), then deletes exactly those by primary key, checking again that they are finished.
enum RetentionBatch {
    /// The most rows of one batch: the largest limit callers may give.
    static let largest = 10_000

    /// Finished deliveries: succeeded or orphaned (discarded) by `before`. A dead letter (failed,
    /// neither succeeded nor discarded) waits for an operator and is never finished.
    static func finishedDeliveries(before: Date) -> MariaDBQuery {
        "(success <= \(before) OR orphan <= \(before))"
    }

    /// Finished scheduled runs: succeeded or discarded by `before`. A run stamped failed is a
    /// dead letter: kept until an operator requeues or discards it.
    static func finishedSchedules(before: Date) -> MariaDBQuery {
        "(success <= \(before) OR discarded <= \(before))"
    }

    /// The event ids of at most `limit` rows of `table` that are `finished`, smallest first.
    /// Read in primary-key order, stopping at `limit`; in autocommit a consistent read.
    static func candidates(table: StaticString, finished: MariaDBQuery, limit: Int) -> MariaDBQuery {
        """
        SELECT event_id FROM \(unescaped: table) FORCE INDEX (PRIMARY) WHERE \(finished) \
        ORDER BY event_id LIMIT \(limit)
        """
    }

    /// Deletes those of `ids` that are still `finished`: primary-key lookups, locking only them.
    /// The index is forced (the multi-table form allows the hint): when the ids are a large share
    /// of a small table the optimizer would scan it all, locking every row.
    static func delete(table: StaticString, ids: [String], finished: MariaDBQuery) -> MariaDBQuery {
        """
        DELETE t FROM \(unescaped: table) t FORCE INDEX (PRIMARY) \
        WHERE t.event_id IN (\(list: ids)) AND \(finished)
        """
    }
}

extension MariaDBContext {
    /// Deletes at most `limit` finished rows of `table` in one batch (with no limit, batches of
    /// the largest limit until none is left); returns how many it deleted.
    func deleteFinished(
        _ code: EventflowDBError.Code, _ message: String, table: StaticString, finished: MariaDBQuery, limit: Int?
    ) async throws -> Int {
        guard let limit else {
            var total = 0
            while true {
                let deleted = try await deleteFinished(
                    code, message, table: table, finished: finished, limit: RetentionBatch.largest)
                total += deleted
                if deleted < RetentionBatch.largest { return total }
            }
        }
        return try await run(code, message, retry: .idempotent) { connection in
            let ids = try await connection.execute(
                RetentionBatch.candidates(table: table, finished: finished, limit: limit)
            ).rows.map { try $0.string(0) }
            if ids.isEmpty { return 0 }
            let deleted = try await connection.execute(
                RetentionBatch.delete(table: table, ids: ids, finished: finished))
            return Int(deleted.affectedRows)
        }
    }
}

import EventflowDB
import Foundation

/// The sequencing step that grants follow positions (`event.follow_seq`) to committed events
/// only, so that a follower paging by them never passes an event that commits later.
///
/// Why this design (issue #23): `event.seq` is an AUTO_INCREMENT, taken at `INSERT` and visible
/// at `COMMIT`, so paging by it skipped 293 of 2,000 events under 8 writers on one server and
/// 491 of 2,000 on a 3-node Galera cluster. A counter taken last in every writer's transaction
/// would be exact but serialises every commit (W1 at 8 writers pays for it); this step leaves
/// writers as they are (their cost unchanged, writers of other versions covered) and moves the
/// cost to followers, one short transaction per batch of new events:
///
/// 1. `SET TRANSACTION ISOLATION LEVEL READ COMMITTED`: no gap locks, so writers' inserts never
///    wait for the step.
/// 2. `SELECT next FROM event_follow_counter WHERE id = 1 FOR UPDATE`: one step at a time. On a
///    Galera cluster two nodes' steps both write the row; one loses certification and is rolled
///    back (a deadlock error): the other did the work, and the loser's follower tries again.
/// 3. `SELECT id FROM event WHERE follow_seq IS NULL ORDER BY seq LIMIT n FOR UPDATE SKIP LOCKED`:
///    a locking read sees the newest committed rows; the rows of an insert not yet committed
///    are locked by their writer and skipped (on a cluster, another node's uncommitted rows do
///    not exist here yet). A later step grants them a position above every one granted now.
/// 4. Grant `next`, `next + 1`, … in that order and store the counter in one statement, guarded
///    by the counter still reading `next`: it changes all the rows or none, and it changes none
///    when another step granted since (`COMMIT` then makes the grants visible together, and a
///    follower's read sees all of a step's grants or none, and only after the step before it).
///
/// Why one guarded statement (seen on a 3-node Galera cluster, 3 runs in 12 of the cluster
/// follow test): with one `UPDATE` per event (array-bound), a step whose transaction the cluster
/// aborted under it (a conflicting write applied from another node) still left some grants
/// written from a stale counter: two events shared a position, and one landed behind a
/// follower that had passed it. A single statement can not half-apply: it grants its whole
/// batch above the counter it checked, or nothing, in or out of a transaction.
///
struct FollowSequencer {
    let context: MariaDBContext
    /// The most events one step grants.
    static let batch = 1_000
    /// The most steps one read runs before it reads what was granted.
    static let stepsPerRead = 10

    /// Grants positions to the committed events that have none, a batch per step, until a step
    /// finds fewer than a batch. A step that fails for a passing reason (it lost to another
    /// node's step on a cluster, waited too long for another step's lock, lost its connection)
    /// ends the run: the caller reads what is granted, and its next read runs a step again.
    /// Other failures (a missing privilege, a missing migration) are thrown.
    func grantPending() async throws {
        for _ in 0..<Self.stepsPerRead {
            let granted: Int
            do {
                granted = try await step()
            } catch let error as EventflowDBError where Self.passing(error) {
                context.logger.notice(
                    "a follow sequencing step failed; the next read tries again", metadata: ["error": "\(error)"])
                return
            }
            if granted < Self.batch { return }
        }
    }

    /// Whether a step's failure passes by itself.
    static func passing(_ error: EventflowDBError) -> Bool {
        guard let kind = (error.underlying as? DatabaseError)?.kind else { return false }
        return [.deadlock, .lockWaitTimeout, .statementTimeout, .connectionLost, .nodeUnavailable, .poolTimeout]
            .contains(kind)
    }

    /// One step, in a transaction of its own; how many events it granted positions to.
    func step() async throws -> Int {
        try await context.run(.eventFollow, "could not grant follow positions", retry: .idempotent) { connection in
            try await connection.perform { connection -> Int in
                _ = try connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                _ = try connection.query("START TRANSACTION")
                do {
                    let granted = try Self.grant(on: connection)
                    _ = try connection.query("COMMIT")
                    return granted
                } catch {
                    if (try? connection.query("ROLLBACK")) == nil { connection.markBroken() }
                    throw error
                }
            }
        }
    }

    /// The statements of a step, inside its transaction.
    private static func grant(on connection: isolated MariaDBConnection) throws -> Int {
        let counter = try connection.execute("SELECT next FROM event_follow_counter WHERE id = 1 FOR UPDATE").rows
        guard let next = try counter.first.map({ UInt64(try $0.int(0)) }) else {
            throw DatabaseError(kind: .other, message: "event_follow_counter has no row 1: migrate the schema")
        }
        let ids = try connection.execute(
            """
            SELECT id FROM event WHERE follow_seq IS NULL ORDER BY seq LIMIT \(batch) FOR UPDATE SKIP LOCKED
            """
        ).rows.map { try $0.string(0) }
        guard !ids.isEmpty else { return 0 }
        let list = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
        // Each event by its key only (on a small table the planner would scan `event`, and wait
        // on the rows of writes still open).
        let changed = try connection.execute(
            """
            UPDATE event_follow_counter c STRAIGHT_JOIN JSON_TABLE(\(list), '$[*]' COLUMNS (\
            n FOR ORDINALITY, id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin PATH '$')) j \
            STRAIGHT_JOIN event e FORCE INDEX (PRIMARY) ON e.id = j.id \
            SET e.follow_seq = \(next) + j.n - 1, c.next = \(next + UInt64(ids.count)) \
            WHERE c.id = 1 AND c.next = \(next) AND e.follow_seq IS NULL
            """
        ).affectedRows
        // Every event and the counter, or another step granted since this one read the counter.
        guard changed == UInt64(ids.count) + 1 else {
            throw DatabaseError(
                kind: .deadlock, message: "another follow sequencing step granted first; this one changes nothing")
        }
        return ids.count
    }
}

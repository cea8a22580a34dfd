import EventflowDB
import Foundation

/// How an operation may be attempted again when its connection is lost or the server picks it
/// as a deadlock victim. Every operation declares one;
/// ``MariaDBContext/run(_:_:retry:transaction:afterUnknownOutcome:_:)`` is the one place that
/// acts on it.
enum RetryPolicy: Sendable {
    /// A read: attempted again on a fresh connection. It changes nothing, so its failure never
    /// leaves an outcome unknown.
    case read
    /// A write safe to repeat as it is (a delete by key): attempted again on a fresh connection.
    /// When the last attempt that was sent lost its connection, the outcome is unknown: the
    /// error says so (``/EventflowDB/EventflowDBError/isOutcomeUnknown``), and repeating the call is safe.
    case idempotent
    /// A write that may have committed although its reply was lost (a statement or COMMIT can
    /// succeed on the server while the reply never arrives). It is attempted again, and the body
    /// is told (``MariaDBContext/Attempt/afterUnknownOutcome``) so that it first reads back what
    /// the earlier attempt may have written (by the ids fixed before the first attempt, or by a
    /// claim token) instead of writing it twice.
    case recoverable
    /// Attempted once; again only when it certainly did not take effect (no connection could be
    /// had, a cluster node refused it, or it was rolled back as a deadlock victim). When the
    /// connection is lost after the statement was sent, the error says the outcome is unknown.
    case never
}

extension MariaDBContext {
    /// How many times an operation that may be repeated is attempted.
    static let attempts = 3

    /// What an operation's body is told about earlier attempts.
    struct Attempt {
        /// True when an earlier attempt was sent and its outcome is unknown: it may have committed.
        var afterUnknownOutcome: Bool
    }

    /// Runs `body` on a pooled connection (in a transaction when `transaction`), attempting it
    /// again as `retry` allows, 50 and 200 ms apart; any failure becomes an ``/EventflowDB/EventflowDBError``
    /// with `code`.
    ///
    /// - Parameter afterUnknownOutcome: start as if an earlier call's outcome were unknown (a
    ///   caller's retry of a call that failed with ``/EventflowDB/EventflowDBError/isOutcomeUnknown``).
    /// - Throws: ``/EventflowDB/EventflowDBError`` with `code`; ``/EventflowDB/EventflowDBError/isOutcomeUnknown`` when an
    ///   attempt was sent and no later attempt could settle it.
    func run<T>(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, retry: RetryPolicy,
        transaction: Bool = false,
        afterUnknownOutcome: Bool = false, _ body: (MariaDBConnection, Attempt) async throws -> T
    ) async throws -> T {
        let result = try await instruments.operation(code, database: pool.configuration.database) {
            try await attempts(
                code, message(), retry: retry, transaction: transaction, afterUnknownOutcome: afterUnknownOutcome, body)
        }
        if Self.eventWrites.contains(code) { writes.signal() }
        return result
    }

    /// The operations that store events: when one returns, this process's followers wake.
    static let eventWrites: Set<EventflowDBError.Code> = [.eventPersist, .eventPublish]

    /// ``run(_:_:retry:transaction:afterUnknownOutcome:_:)`` without the span and timer.
    private func attempts<T>(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, retry: RetryPolicy,
        transaction: Bool, afterUnknownOutcome: Bool, _ body: (MariaDBConnection, Attempt) async throws -> T
    ) async throws -> T {
        var attempt = Attempt(afterUnknownOutcome: afterUnknownOutcome)
        var lastError: DatabaseError?
        for number in 0..<Self.attempts {
            if number > 0 {
                do {
                    try await Task.sleep(for: .milliseconds(50 << (2 * (number - 1))))  // 50 ms, 200 ms
                } catch {
                    break
                }
            }
            // Set once the attempt got a connection: a failure before that sent nothing.
            var sent = false
            do {
                if transaction {
                    return try await pool.withTransaction { connection in
                        sent = true
                        return try await body(connection, attempt)
                    }
                }
                return try await pool.withConnection { connection in
                    sent = true
                    return try await body(connection, attempt)
                }
            } catch let error as DatabaseError where Self.worthAnotherAttempt(error) {
                if sent && error.kind == .connectionLost { attempt.afterUnknownOutcome = true }
                lastError = error
                // Not to be repeated: another attempt only when nothing ran or stayed (no
                // connection was had, a node refused the statement, or the server rolled it back
                // as a deadlock victim; on a cluster, a write aborted by a replicated one).
                if retry == .never && sent && error.kind == .connectionLost { break }
                if number + 1 < Self.attempts { instruments.retried(code) }
                if retry != .never {
                    logger.info(
                        "attempt failed; trying again",
                        metadata: ["code": "\(code)", "attempt": "\(number + 1)", "error": "\(error)"])
                }
            } catch {
                // A duplicate, a foreign key or a check refusing this attempt is an answer: the
                // earlier attempt did not write it (reading back would have found it).
                let answered =
                    (error as? DatabaseError).map { [.duplicateKey, .foreignKey, .constraint].contains($0.kind) }
                    ?? false
                throw wrap(error, code, message(), outcomeUnknown: attempt.afterUnknownOutcome && !answered)
            }
        }
        let cause = lastError ?? DatabaseError(kind: .other, message: "cancelled")
        if attempt.afterUnknownOutcome && retry != .read {
            throw EventflowDBError(
                code,
                """
                \(message()): the connection was lost after the write \
                was sent and its outcome is unknown; retry with the same \
                ids
                """,
                underlying: cause, outcomeUnknown: true)
        }
        throw wrap(cause, code, message(), outcomeUnknown: false)
    }

    /// A lost connection, a deadlock victim (on a Galera cluster also a write that lost
    /// certification) and a node that refused the statement are worth another attempt, on
    /// another connection (another node); anything else is an answer (a duplicate, a foreign
    /// key, a timeout the server enforced).
    private static func worthAnotherAttempt(_ error: DatabaseError) -> Bool {
        [.connectionLost, .deadlock, .nodeUnavailable].contains(error.kind)
    }
}

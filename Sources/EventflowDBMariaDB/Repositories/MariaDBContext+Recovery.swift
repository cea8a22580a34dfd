import EventflowDB
import Foundation

/// Writes that survive a lost reply.
///
/// A statement or COMMIT can succeed on the server while its reply never reaches the client.
/// Every write that is not a plain idempotent statement goes through ``MariaDBContext/recoverable(_:_:transaction:_:)``:
/// it is attempted again on a fresh connection, and the body is told that an earlier attempt's
/// outcome is unknown, so it can read back what that attempt may have written (by the ids fixed
/// before the first attempt, or by a claim token) instead of writing it twice.
extension MariaDBContext {
    /// How many times a write is attempted when its connection is lost.
    static let writeAttempts = 3

    /// What a recoverable write's body is told about earlier attempts.
    struct Attempt {
        /// True when an earlier attempt was sent and its outcome is unknown: it may have committed.
        var afterUnknownOutcome: Bool
    }

    /// Runs a write, attempting it again on a fresh connection when the connection is lost or the
    /// server chose it as a deadlock victim.
    ///
    /// - Parameters:
    ///   - transaction: run each attempt in a transaction (committed when `body` returns).
    ///   - afterUnknownOutcome: start as if an earlier call's outcome were unknown (a caller's
    ///     retry of a call that failed with ``EventflowDBError/isOutcomeUnknown``).
    ///   - body: the write. With ``Attempt/afterUnknownOutcome`` it must first learn whether an
    ///     earlier attempt committed (read back by id or token) and not write twice.
    /// - Throws: ``EventflowDBError`` with `code`; ``EventflowDBError/isOutcomeUnknown`` when an
    ///   attempt was sent and no later attempt could settle it.
    func recoverable<T>(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, transaction: Bool = false,
        afterUnknownOutcome: Bool = false, _ body: (MariaDBConnection, Attempt) async throws -> T
    ) async throws -> T {
        var attempt = Attempt(afterUnknownOutcome: afterUnknownOutcome)
        var lastError: DatabaseError?
        for number in 0..<Self.writeAttempts {
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
                logger.info(
                    "write attempt failed; trying again", metadata: ["code": "\(code)", "attempt": "\(number + 1)", "error": "\(error)"])
            } catch {
                // A duplicate, a foreign key or a check refusing this attempt is an answer: the
                // earlier attempt did not write it (reading back would have found it).
                let answered = (error as? DatabaseError).map { [.duplicateKey, .foreignKey, .constraint].contains($0.kind) } ?? false
                throw wrap(error, code, message(), outcomeUnknown: attempt.afterUnknownOutcome && !answered)
            }
        }
        let cause = lastError ?? DatabaseError(kind: .other, message: "cancelled")
        if attempt.afterUnknownOutcome {
            throw EventflowDBError(
                code, "\(message()): the connection was lost after the write was sent and its outcome is unknown; retry with the same ids",
                underlying: cause, outcomeUnknown: true)
        }
        throw wrap(cause, code, message(), outcomeUnknown: false)
    }

    /// A lost connection and a deadlock victim are worth another attempt; anything else is an
    /// answer (a duplicate, a foreign key, a timeout the server enforced).
    private static func worthAnotherAttempt(_ error: DatabaseError) -> Bool {
        error.kind == .connectionLost || error.kind == .deadlock
    }
}

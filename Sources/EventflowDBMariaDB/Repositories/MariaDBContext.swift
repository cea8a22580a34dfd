import EventflowDB
import Foundation
import Logging

/// What every MariaDB repository shares: the pool, the clock and the logger, and the mapping
/// of failures to ``/EventflowDB/EventflowDBError`` with the operation's code.
struct MariaDBContext: Sendable {
    let pool: MariaDBConnectionPool
    let clock: any EventflowClock
    let logger: Logger
    /// Where metrics and spans go.
    let instruments: MariaDBInstruments
    /// Claim tokens of calls whose outcome stayed unknown, for the same caller's retry.
    let claims = ClaimTokens()
    /// Whether the database is a Galera cluster, once known.
    let clusterKnown = LockedState<Bool?>(nil)
    /// Counts this context's committed writes of events, waking its followers.
    let writes = WriteSignal()
    /// The binary log stream that signals `writes` for other processes' commits.
    let binlog = BinlogWake()
    /// Whether `eventflow_lease` was created by this context.
    let leaseTableReady = LockedState(false)

    /// Runs `body` on a pooled connection under `retry`; any failure becomes an
    /// ``/EventflowDB/EventflowDBError`` with `code`. See ``run(_:_:retry:transaction:afterUnknownOutcome:_:)``.
    func run<T>(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, retry: RetryPolicy = .never,
        transaction: Bool = false,
        _ body: (MariaDBConnection) async throws -> T
    ) async throws -> T {
        try await run(code, message(), retry: retry, transaction: transaction) { connection, _ in
            try await body(connection)
        }
    }

    /// Runs `body` on a connection of its own, outside the pool, closed afterwards: for named
    /// locks (which hold their connection while their body uses the pool) and for DDL (whose
    /// statements may run far longer than the pool's read timeout allows).
    func withDedicatedConnection<T>(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, limits: SessionLimits? = nil,
        _ body: (MariaDBConnection) async throws -> T
    ) async throws -> T {
        let connection: MariaDBConnection
        do {
            connection = try await pool.connectOutsidePool(limits: limits)
        } catch {
            throw wrap(error, code, message())
        }
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw wrap(error, code, message())
        }
    }

    /// Limits for a DDL connection: the configured `ddlTimeout`.
    var ddlLimits: SessionLimits { .ddl(pool.configuration.ddlTimeout) }

    /// One statement on a pooled connection.
    @discardableResult
    func execute(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, retry: RetryPolicy = .never,
        _ query: MariaDBQuery
    ) async throws -> MariaDBResult {
        try await run(code, message(), retry: retry) { connection in
            try await connection.perform { try $0.execute(query) }
        }
    }

    /// One write; whether it changed (or inserted) any row.
    func changesRows(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, retry: RetryPolicy = .never,
        _ query: MariaDBQuery
    ) async throws -> Bool {
        try await execute(code, message(), retry: retry, query).affectedRows > 0
    }

    /// One read, its rows decoded as `T`; retried once on a lost connection.
    func fetch<T: MariaDBRowDecodable>(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, _ type: T.Type, _ query: MariaDBQuery
    ) async throws -> [T] {
        try await run(code, message(), retry: .read) { connection in
            try await connection.perform { try $0.fetch(type, query) }
        }
    }

    /// One read of a single text column; retried once on a lost connection.
    func fetchStrings(
        _ code: EventflowDBError.Code, _ message: @autoclosure () -> String, _ query: MariaDBQuery
    ) async throws -> [String] {
        try await run(code, message(), retry: .read) { try await $0.execute(query).rows.map { try $0.string(0) } }
    }

    func wrap(
        _ error: any Error, _ code: EventflowDBError.Code, _ message: String, outcomeUnknown: Bool = false
    ) -> any Error {
        switch error {
        case var error as EventflowDBError:
            error.isOutcomeUnknown = error.isOutcomeUnknown || outcomeUnknown
            return error
        case let error as DatabaseError:
            logger.debug("operation failed", metadata: ["code": "\(code)", "error": "\(error)"])
            // The server's text is shown for connection failures only: other messages can quote
            // bound values (a duplicate key names the key's value).
            let detail =
                MariaDBErrorMapping.breaksConnection(error.kind)
                    || [.poolTimeout, .closed, .authentication].contains(error.kind)
                ? "\(error.kind): \(error.message)" : "\(error.kind)"
            return EventflowDBError(code, "\(message): \(detail)", underlying: error, outcomeUnknown: outcomeUnknown)
        default:
            // Not the database's: a caller's own error from a lock body, or cancellation.
            return error
        }
    }

    /// Sets a time column of one row to now, only while it is NULL: the "once" of every terminal
    /// stamp. `table` and `column` come from the repositories' fixed lists, never from callers.
    ///
    /// The same conditional `UPDATE` writes a random token to the column's token column
    /// (`<column>_claim`). After a lost reply the stamp is attempted again; when the column is
    /// then found set, the token read back says whether this call's lost attempt set it: exactly,
    /// where the stamp's time (one-second precision) could match another caller's.
    func stampOnce(
        table: StaticString, column: String, eventID: String, code: EventflowDBError.Code
    ) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        let token = ClaimTokens.make()
        let stamp = try MariaDBIdentifier(column), tokenColumn = try MariaDBIdentifier(column + "_claim")
        let update: MariaDBQuery =
            """
            UPDATE \(unescaped: table) SET \(stamp) = \(now().truncatedToSeconds), \
            \(tokenColumn) = \(token) WHERE event_id = \(eventID) AND \(stamp) IS NULL
            """
        let readBack: MariaDBQuery =
            "SELECT \(tokenColumn) FROM \(unescaped: table) WHERE event_id = \(eventID)"
        return try await run(code, "could not set \(column) on \(table)", retry: .recoverable) { connection, attempt in
            if try await connection.execute(update).affectedRows == 1 { return true }
            guard attempt.afterUnknownOutcome else { return false }
            return try await connection.execute(readBack).rows.first?.optionalString(0) == token
        }
    }

    /// Now, as the repositories stamp rows.
    func now() -> Date { clock.now() }
}

/// Bounds a read's dates to what a DATETIME column holds, at millisecond precision.
enum ReadBound {
    static let earliest = Date(timeIntervalSince1970: -30_610_224_000)
    static let latest = Date(timeIntervalSince1970: 253_402_300_799)

    static func clamp(_ date: Date) -> Date {
        guard date.timeIntervalSince1970.isFinite else { return date.timeIntervalSince1970 > 0 ? latest : earliest }
        return min(max(date, earliest), latest).truncatedToMilliseconds
    }
}

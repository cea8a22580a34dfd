/// The timeouts of one connection: the client's read timeout, and the server-side limits that
/// make the server give up on a statement before the client does.
///
/// A statement the client stopped waiting for must never go on to commit unnoticed: with
/// `max_statement_time` and both lock-wait timeouts below the read timeout, the server aborts
/// (and rolls back) a slow statement and says so before the client's read times out.
public struct SessionLimits: Sendable, Equatable {
    /// How long the client waits for a reply.
    public var readTimeout: Duration
    /// The server's `max_statement_time`, in milliseconds; 0 for none.
    public var statementMilliseconds: Int64
    /// `innodb_lock_wait_timeout` (row locks) and `lock_wait_timeout` (metadata locks), in seconds.
    public var lockWaitSeconds: Int64

    /// Limits for ordinary statements: statements end within 80% of `readTimeout`, lock waits
    /// within half of it (at least one second each).
    public init(statementsWithin readTimeout: Duration) {
        let milliseconds = Self.milliseconds(readTimeout)
        self.readTimeout = readTimeout
        statementMilliseconds = max(1_000, milliseconds / 10 * 8)
        lockWaitSeconds = max(1, milliseconds / 2_000)
    }

    /// Limits for DDL (migrations, log partitioning) that may rebuild a large table: no
    /// statement limit, a read timeout and metadata-lock wait of `timeout`.
    public static func ddl(_ timeout: Duration) -> SessionLimits {
        var limits = SessionLimits(statementsWithin: timeout)
        limits.statementMilliseconds = 0
        limits.lockWaitSeconds = max(1, Self.milliseconds(timeout) / 1_000)
        return limits
    }

    /// Limits for a named lock's connection: no statement limit (a `GET_LOCK` slice must never
    /// be cut short by it, whatever the read timeout), lock waits as for ordinary statements.
    public static func namedLocks(within readTimeout: Duration) -> SessionLimits {
        var limits = SessionLimits(statementsWithin: readTimeout)
        limits.statementMilliseconds = 0
        return limits
    }

    /// The `SET` assignments, made from the numbers above only (written as digits: `SET` in a
    /// connection's set-up command takes no parameters).
    var assignments: MariaDBQuery {
        """
        max_statement_time = \(literal: statementMilliseconds) / 1000, innodb_lock_wait_timeout \
        = \(literal: lockWaitSeconds), lock_wait_timeout = \(literal: lockWaitSeconds)
        """
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        return overflow
            ? Int64.max / 2 : max(0, whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).partialValue)
    }
}

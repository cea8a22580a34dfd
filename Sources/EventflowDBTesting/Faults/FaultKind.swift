public import EventflowDB

/// Where in an operation's life a fault strikes.
public enum FaultPoint: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Before the operation's statement runs: nothing is applied.
    case beforeStatement
    /// After the statement applied and before its reply reached the caller.
    case afterApply
    /// At the commit of the operation's transaction.
    case atCommit

    public static func < (a: FaultPoint, b: FaultPoint) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What goes wrong, as a hub sees it once the library's own recovery has given up.
///
/// | Kind | Applied? | What the caller gets |
/// |---|---|---|
/// | ``lostReply`` | yes (at ``FaultPoint/afterApply`` and ``FaultPoint/atCommit``); no before the statement | ``/EventflowDB/EventflowDBError/isOutcomeUnknown`` after apply, a lost connection before it |
/// | ``droppedConnection`` | no | a lost connection, outcome known (nothing applied) |
/// | ``deadlock`` | no: the transaction rolled back | MariaDB 1213 |
/// | ``lockWaitTimeout`` | no: the statement gave up | MariaDB 1205 |
/// | ``duplicateKey`` | no | MariaDB 1062, ``/EventflowDB/EventflowDBError/isDuplicate`` |
/// | ``latency(_:)`` | yes, late | the normal answer, after the delay |
///
/// Each error carries the failed operation's own code, as the real failure would.
public enum FaultKind: Sendable, Hashable, CustomStringConvertible {
    case lostReply
    case droppedConnection
    case deadlock
    case lockWaitTimeout
    case duplicateKey
    case latency(Duration)

    /// Every kind without a parameter, and a latency of 5 ms: what a seeded plan picks from.
    public static let all: [FaultKind] = [
        .lostReply, .droppedConnection, .deadlock, .lockWaitTimeout, .duplicateKey, .latency(.milliseconds(5)),
    ]

    public var description: String {
        switch self {
        case .lostReply: "lost reply"
        case .droppedConnection: "dropped connection"
        case .deadlock: "deadlock"
        case .lockWaitTimeout: "lock wait timeout"
        case .duplicateKey: "duplicate key"
        case .latency(let delay): "latency \(delay)"
        }
    }

    /// The kind's name without its parameter, for coverage tables.
    public var name: String {
        if case .latency = self { return "latency" }
        return description
    }

    /// Whether the operation is applied when this fault strikes at `point`.
    public func applies(at point: FaultPoint) -> Bool {
        switch self {
        case .latency: true
        case .lostReply: point != .beforeStatement
        case .droppedConnection, .deadlock, .lockWaitTimeout, .duplicateKey: false
        }
    }

    /// The error the caller gets for this fault at `point` of an operation whose failures have
    /// `code`; nil for latency.
    public func error(at point: FaultPoint, code: EventflowDBError.Code) -> EventflowDBError? {
        let database: DatabaseError
        var unknown = false
        switch self {
        case .latency:
            return nil
        case .lostReply where point != .beforeStatement:
            database = DatabaseError(
                kind: .connectionLost, number: 2013, message: "Lost connection to server during query (fault plan)")
            unknown = true
        case .lostReply, .droppedConnection:
            database = DatabaseError(
                kind: .connectionLost, number: 2013, message: "Lost connection to server during query (fault plan)")
        case .deadlock:
            database = DatabaseError(
                kind: .deadlock, number: 1213, sqlState: "40001",
                message: "Deadlock found when trying to get lock; try restarting transaction (fault plan)")
        case .lockWaitTimeout:
            database = DatabaseError(
                kind: .lockWaitTimeout, number: 1205,
                message: "Lock wait timeout exceeded; try restarting transaction (fault plan)")
        case .duplicateKey:
            database = DatabaseError(
                kind: .duplicateKey, number: 1062, sqlState: "23000", message: "Duplicate entry (fault plan)")
        }
        return EventflowDBError(
            code, unknown ? "the outcome is unknown: \(database.message)" : "failed: \(database.message)",
            underlying: database, outcomeUnknown: unknown)
    }
}

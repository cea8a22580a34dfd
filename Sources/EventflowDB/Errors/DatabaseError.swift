/// A failure reported by the database (or by the connection to it).
///
/// Found as ``EventflowDBError/underlying``. The in-memory fakes report the same kinds and the
/// same MariaDB error numbers as the server would, so tests can rely on them.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What callers branch on.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A unique or primary key already holds the value (MariaDB 1062).
        public static let duplicateKey = Kind(rawValue: "duplicate key")
        /// A foreign key refused the write (MariaDB 1451, 1452).
        public static let foreignKey = Kind(rawValue: "foreign key")
        /// The transaction was chosen as a deadlock victim (MariaDB 1213).
        public static let deadlock = Kind(rawValue: "deadlock")
        /// A row lock was not granted in time (MariaDB 1205), or a metadata lock (1205 too).
        public static let lockWaitTimeout = Kind(rawValue: "lock wait timeout")
        /// The server stopped a statement that ran past `max_statement_time` (MariaDB 1969).
        public static let statementTimeout = Kind(rawValue: "statement timeout")
        /// A CHECK constraint refused the value (MariaDB 4025).
        public static let constraint = Kind(rawValue: "constraint")
        /// The connection was lost or could not be made (MariaDB 2002, 2003, 2006, 2013).
        public static let connectionLost = Kind(rawValue: "connection lost")
        /// The server refused the login: a wrong user or password, or a user without access to
        /// the database (MariaDB 1044, 1045, 1698, 1862). Trying again cannot help: check the
        /// configured user and password. The message never shows the password.
        public static let authentication = Kind(rawValue: "authentication")
        /// A Galera node that is not part of the primary component or not synced refused the
        /// statement (MariaDB 1047, "WSREP has not yet prepared node for application use"): it
        /// did not run. Another node can take it.
        public static let nodeUnavailable = Kind(rawValue: "node unavailable")
        /// No pooled connection became free within the acquire timeout.
        public static let poolTimeout = Kind(rawValue: "pool timeout")
        /// The pool or connection was closed.
        public static let closed = Kind(rawValue: "closed")
        /// TLS was required but could not be established or verified.
        public static let tls = Kind(rawValue: "tls")
        /// Anything else.
        public static let other = Kind(rawValue: "other")
    }

    /// The classification.
    public var kind: Kind
    /// The server's (or client library's) error number, 0 when there is none.
    public var number: Int
    /// The five-character SQLSTATE, `"HY000"` when unknown.
    public var sqlState: String
    /// The server's (or the client library's) message. It can quote bound values (a duplicate
    /// key names the key's value): ``description`` leaves it out, ``debugDescription`` has it.
    public var message: String

    /// Creates a database error.
    public init(kind: Kind, number: Int = 0, sqlState: String = "HY000", message: String) {
        self.kind = kind
        self.number = number
        self.sqlState = sqlState
        self.message = message
    }

    /// The kind, number and SQLSTATE; the message only for kinds whose messages come from the
    /// connection, not from statement values (a lost connection, TLS, the pool, a refused login,
    /// which names the user and never the password). Safe to log.
    public var description: String {
        let head = "\(kind) (\(number)/\(sqlState))"
        return Self.messageIsSafe(kind) ? head + ": " + message : head
    }

    /// Everything, the server's message included.
    public var debugDescription: String {
        "\(kind) (\(number)/\(sqlState)): \(message)"
    }

    /// Messages of these kinds describe the connection, never a statement's values.
    private static func messageIsSafe(_ kind: Kind) -> Bool {
        kind == .connectionLost || kind == .tls || kind == .poolTimeout || kind == .closed || kind == .nodeUnavailable
            || kind == .authentication
    }
}

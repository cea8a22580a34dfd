public import EventflowDB
public import Foundation

/// SQL text and the values bound to it, built together by string interpolation: an
/// interpolated value becomes a `?` placeholder and a bound parameter, so a statement can never
/// have one placeholder more than it has values, and no value is ever spliced into the SQL.
///
/// ```swift
/// let query: MariaDBQuery =
///     "SELECT \(unescaped: Event.columns) FROM event e WHERE e.domain = \(domain) AND e.pid = \(pid)"
/// // sql: "SELECT e.id, … FROM event e WHERE e.domain = ? AND e.pid = ?", binds: [.string(domain), .string(pid)]
/// ```
///
/// Every statement is a `MariaDBQuery`, DDL included. Besides values, three things may be put
/// into the text, each safe by construction:
/// - a name, as a ``MariaDBIdentifier`` (`\(table)`) or checked inline
///   (`try "DROP TABLE \(identifier: name)"`), written backquoted;
/// - an integer where SQL takes no parameter (`\(literal: days)`), written as digits;
/// - text fixed when the code was compiled (`\(unescaped: "e.id, e.name")`, a `StaticString`),
///   and a model's column list (`\(unescaped: Event.columns)`).
///
/// Text made at run time goes in only through ``init(unsafeSQL:)``.
public struct MariaDBQuery: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// The SQL, with a `?` for each bound value.
    public private(set) var sql: String
    /// The values, in the order of their placeholders.
    public private(set) var binds: [MariaDBValue]

    /// A statement written in the code, with no values. A `StaticString`, so that text made at
    /// run time cannot come in this way.
    public init(stringLiteral value: StaticString) {
        sql = "\(value)"
        binds = []
    }

    /// A statement given as text, with no bound values: the caller guarantees that `sql` is not
    /// built from input (a migration file shipped with the code, a fixed statement).
    ///
    /// Prefer a literal with interpolation: it binds values and checks names. This is the one
    /// way to run text made at run time, and it is named so that a review finds it.
    public init(unsafeSQL sql: String) {
        self.sql = sql
        binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
    }

    /// Appends another query (its text and its values), for statements built in parts.
    public mutating func append(_ other: MariaDBQuery) {
        sql += other.sql
        binds += other.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [MariaDBValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount)
            binds.reserveCapacity(interpolationCount)
        }

        /// The literal text between interpolations.
        public mutating func appendLiteral(_ literal: StaticString) {
            sql += "\(literal)"
        }

        /// A bound value: `?` in the SQL.
        public mutating func appendInterpolation(_ value: some MariaDBBindable) {
            sql += "?"
            binds.append(value.mariaDBValue)
        }

        /// An optional bound value: `?`, bound as `NULL` when nil.
        public mutating func appendInterpolation<Value: MariaDBBindable>(_ value: Value?) {
            sql += "?"
            binds.append(value.mariaDBValue)
        }

        /// Bound values separated by commas (`?, ?, ?`), for `IN (…)` lists; at least one.
        public mutating func appendInterpolation(list values: [some MariaDBBindable]) {
            precondition(!values.isEmpty, "an IN list needs at least one value")
            sql += Array(repeating: "?", count: values.count).joined(separator: ", ")
            binds += values.map(\.mariaDBValue)
        }

        /// Another query, its text and its values.
        public mutating func appendInterpolation(_ query: MariaDBQuery) {
            sql += query.sql
            binds += query.binds
        }

        /// UTF-8 text given as bytes (compact JSON), bound as a text parameter.
        public mutating func appendInterpolation(text bytes: [UInt8]) {
            appendInterpolation(MariaDBValue.text(bytes))
        }

        /// Text fixed when the code was compiled, put in as it is (a keyword, a column list).
        public mutating func appendInterpolation(unescaped text: StaticString) {
            sql += "\(text)"
        }

        /// Text put in as it is, for the library's own statements: names from the code's fixed
        /// lists only, never a value. Prefer a ``MariaDBIdentifier`` or the `StaticString` form.
        package mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }

        /// A checked name, backquoted.
        public mutating func appendInterpolation(_ identifier: MariaDBIdentifier) {
            sql += identifier.quoted
        }

        /// Checked names, backquoted and separated by commas; at least one.
        public mutating func appendInterpolation(identifiers: [MariaDBIdentifier]) {
            precondition(!identifiers.isEmpty, "a list of names needs at least one")
            sql += identifiers.map(\.quoted).joined(separator: ", ")
        }

        /// A name made at run time, checked here and backquoted; the statement then needs `try`.
        /// - Throws: ``/EventflowDB/EventflowDBError/Code/invalidInput`` as
        ///   ``MariaDBIdentifier/init(_:)`` does; no statement is made.
        public mutating func appendInterpolation(identifier name: String) throws(EventflowDBError) {
            appendInterpolation(try MariaDBIdentifier(name))
        }

        /// An integer written into the text as digits, where SQL takes no parameter (DDL,
        /// `SET` in a connection's set-up).
        public mutating func appendInterpolation(literal value: Int64) {
            sql += String(value)
        }
    }
}

/// A Swift value that binds to a statement parameter.
public protocol MariaDBBindable: Sendable {
    /// The value as it is bound.
    var mariaDBValue: MariaDBValue { get }
}

extension MariaDBValue: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { self }
}

extension String: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .string(self) }
}

extension Int: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .int(Int64(self)) }
}

extension Int64: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .int(self) }
}

extension UInt64: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .uint(self) }
}

extension Double: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .double(self) }
}

/// A `DATETIME` as given: truncate it to the column's precision first.
extension Date: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .datetime(self) }
}

/// Bytes for `BLOB` and `VARBINARY` columns.
extension Array: MariaDBBindable where Element == UInt8 {
    public var mariaDBValue: MariaDBValue { .bytes(self) }
}

extension Optional: MariaDBBindable where Wrapped: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { self?.mariaDBValue ?? .null }
}

/// A checked identifier, bound as text.
extension Identifier: MariaDBBindable {
    public var mariaDBValue: MariaDBValue { .string(value) }
}

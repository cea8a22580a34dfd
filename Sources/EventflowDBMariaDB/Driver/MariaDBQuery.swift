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
/// Raw text goes in only through `\(unescaped:)`, for names from the code's own fixed lists
/// (a column list, a table name), never for values.
public struct MariaDBQuery: Sendable, Equatable, ExpressibleByStringInterpolation {
    /// The SQL, with a `?` for each bound value.
    public private(set) var sql: String
    /// The values, in the order of their placeholders.
    public private(set) var binds: [MariaDBValue]

    public init(stringLiteral value: String) {
        sql = value
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

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
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

        /// Text put in as it is: only for names from a fixed list in the code, never for a value.
        public mutating func appendInterpolation(unescaped text: String) {
            sql += text
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

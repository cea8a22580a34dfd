/// The columns a model selects, in order: the one place their names are written.
///
/// Each column is an SQL expression (what the `SELECT` list says) and the name the model's
/// decoder reads it by. For a plain list the two are the same text; ``qualified(by:)`` puts a
/// table alias on the expressions and leaves the names as the decoder knows them, and `+` joins
/// two models' lists for a query that selects both, so a joined model composes its parts' lists
/// instead of repeating (or counting) them.
///
/// ```swift
/// static let columns: MariaDBColumns = ["id", "timestamp", "quit"]   // SELECT id, timestamp, quit
/// Event.columns + EventPublished.columns.qualified(by: "p")           // …, p.event_id, p.published, …
/// ```
///
/// Interpolate a list into a query with `\(unescaped: Hub.columns)`.
public struct MariaDBColumns: Sendable, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The names the decoder reads, in `SELECT` order.
    public let names: [String]
    /// The `SELECT` list as SQL text, for example `e.id, e.timestamp`.
    public let sql: String
    private let expressions: [String]

    /// Columns whose expressions are their names.
    /// - Parameter names: column names from the code (never input), in the order the decoder
    ///   reads them: each a name or `alias.name`, either part optionally backquoted (`` `key` ``).
    ///   Anything else is a programming error and stops the program.
    public init(_ names: [String]) {
        for name in names {
            precondition(Self.isColumnReference(name), "not a column name: \(name)")
        }
        self.init(names: names, expressions: names)
    }

    /// Whether `name` is `column` or `alias.column`, each part a ``MariaDBIdentifier``, bare or
    /// backquoted.
    static func isColumnReference(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count)
            && parts.allSatisfy { part in
                let bare =
                    part.count > 2 && part.hasPrefix("`") && part.hasSuffix("`") ? part.dropFirst().dropLast() : part
                return MariaDBIdentifier.isValid(String(bare))
            }
    }

    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    private init(names: [String], expressions: [String]) {
        self.names = names
        self.expressions = expressions
        sql = expressions.joined(separator: ", ")
    }

    /// How many columns.
    public var count: Int { names.count }

    /// The `SELECT` list.
    public var description: String { sql }

    /// The same columns selected through a table alias: the expression `event_id` becomes
    /// `p.event_id`; the decoder still reads it as `event_id`.
    /// - Parameter alias: a table alias from the code: a ``MariaDBIdentifier`` or the program stops.
    public func qualified(by alias: String) -> MariaDBColumns {
        precondition(MariaDBIdentifier.isValid(alias), "not a table alias: \(alias)")
        return MariaDBColumns(names: names, expressions: expressions.map { "\(alias).\($0)" })
    }

    /// One list and then the other, for a model made of two: its decoder reads each part with
    /// ``MariaDBRowReader/decode(_:)``.
    public static func + (lhs: MariaDBColumns, rhs: MariaDBColumns) -> MariaDBColumns {
        MariaDBColumns(names: lhs.names + rhs.names, expressions: lhs.expressions + rhs.expressions)
    }
}

extension MariaDBQuery.StringInterpolation {
    /// A model's `SELECT` list, as text: ``MariaDBColumns/sql``, whose names were checked when
    /// the list was made.
    public mutating func appendInterpolation(unescaped columns: MariaDBColumns) {
        appendInterpolation(unescaped: columns.sql)
    }
}

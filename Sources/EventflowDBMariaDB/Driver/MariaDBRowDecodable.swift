/// A model read from a row: its column list and its decoder in one place.
///
/// ``columns`` is the only place the model's columns are written: it is the query's `SELECT`
/// list (`\(unescaped: Hub.columns)`), and the decoder reads each column by the name the list
/// gives it, in list order, through a ``MariaDBRowReader`` that checks every column is read
/// exactly once. A column added to the list and not to the decoder (or read by the decoder and
/// missing from the list) fails the first row with `DatabaseError.Kind.rowDecoding`,
/// naming the model and the column. Names are checked against the list by position, one string
/// comparison per column, so decoding stays as cheap as reading by index.
///
/// ```swift
/// extension Hub: MariaDBRowDecodable {
///     static let columns: MariaDBColumns = ["id", "timestamp", "external_ip", "quit"]
///     init(row: MariaDBRowReader) throws {
///         self.init(
///             id: try row.string("id"), timestamp: try row.date("timestamp"),
///             externalIP: try row.string("external_ip"), quit: try row.optionalDate("quit"))
///     }
/// }
/// let hubs = try connection.fetch(Hub.self, "SELECT \(unescaped: Hub.columns) FROM hub")
/// ```
///
/// A model made of two others (a join) composes their lists, `Event.columns +
/// EventPublished.columns.qualified(by: "p")`, and reads each part with
/// ``MariaDBRowReader/decode(_:)``.
public protocol MariaDBRowDecodable: Sendable {
    /// The columns the decoder reads, in its order (names from the code only).
    static var columns: MariaDBColumns { get }
    /// Reads one row selected with ``columns``: each column once, by its name, in list order.
    init(row: MariaDBRowReader) throws
}

extension MariaDBRowDecodable {
    /// Decodes rows selected with ``columns``.
    /// - Throws: `DatabaseError` of kind `DatabaseError.Kind.rowDecoding` when a
    ///   row has another number of columns, a column has another type, or the decoder does not
    ///   read its list exactly.
    public static func decode(_ rows: [MariaDBRow]) throws -> [Self] {
        let reader = MariaDBRowReader(Self.self)
        return try rows.map { try reader.decode($0, as: Self.self) }
    }
}

extension MariaDBConnection {
    /// Runs `query` and decodes each row as `T`.
    public func fetch<T: MariaDBRowDecodable>(_ type: T.Type, _ query: MariaDBQuery) throws -> [T] {
        try T.decode(execute(query).rows)
    }
}

/// A model read from a row: its column list and its decoder in one place.
///
/// ```swift
/// extension Hub: MariaDBRowDecodable {
///     static let columns = "id, timestamp, external_ip, …"
///     init(row: MariaDBRow) throws { … }  // reads the columns in that order
/// }
/// let hubs = try await connection.fetch(Hub.self, "SELECT \(unescaped: Hub.columns) FROM hub")
/// ```
public protocol MariaDBRowDecodable: Sendable {
    /// The columns the decoder reads, in its order, as SQL text (names from the code only).
    static var columns: String { get }
    /// Reads one row selected with ``columns``.
    init(row: MariaDBRow) throws
}

extension MariaDBConnection {
    /// Runs `query` and decodes each row as `T`.
    public func fetch<T: MariaDBRowDecodable>(_ type: T.Type, _ query: MariaDBQuery) throws -> [T] {
        try execute(query).rows.map(T.init(row:))
    }

    /// Runs `query`.
    @discardableResult
    public func execute(_ query: MariaDBQuery) throws -> MariaDBResult {
        try execute(query.sql, query.binds)
    }
}

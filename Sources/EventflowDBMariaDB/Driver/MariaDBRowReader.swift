public import EventflowDB
public import Foundation

/// Hands a ``MariaDBRowDecodable`` model's decoder the columns of one row by name, in the order
/// of the model's ``MariaDBRowDecodable/columns`` list, and checks that it reads each exactly once.
///
/// A read names the column it expects; the reader compares that name with the next one in the
/// list (one string comparison, no search), so a decoder that reads a column the list does not
/// have, reads one twice, reads out of order, or leaves one unread fails with
/// `DatabaseError.Kind.rowDecoding` on the first row, naming the model and the
/// column. One reader serves every row of a result.
public final class MariaDBRowReader {
    private var row = MariaDBRow(values: [])
    /// The list being read: the model's, or the part of a joined model being decoded.
    private var columns: MariaDBColumns
    /// The model being decoded, for messages.
    private var model: Any.Type
    /// Where `columns` starts in the row.
    private var base = 0
    /// The next column of `columns` to read.
    private var next = 0
    /// Reads answer placeholders: ``checkColumns(of:)`` runs a decoder without a row.
    private var probing = false

    init<T: MariaDBRowDecodable>(_ type: T.Type) {
        columns = T.columns
        model = type
    }

    /// Decodes one row of a result selected with `T.columns`.
    func decode<T: MariaDBRowDecodable>(_ row: MariaDBRow, as type: T.Type) throws -> T {
        guard row.values.count == columns.count else {
            throw DatabaseError(
                kind: .rowDecoding,
                message: "\(T.self) reads \(columns.count) columns; the query selected \(row.values.count)")
        }
        self.row = row
        base = 0
        next = 0
        let value = try T(row: self)
        try finish()
        return value
    }

    /// Decodes the next columns as a `T`, a part of a joined model whose list is
    /// `… + T.columns + …` (qualified or not).
    ///
    /// ```swift
    /// init(row: MariaDBRowReader) throws {
    ///     self.init(event: try row.decode(Event.self), delivery: try row.decode(EventPublished.self))
    /// }
    /// ```
    public func decode<T: MariaDBRowDecodable>(_ type: T.Type) throws -> T {
        let part = T.columns
        guard next + part.count <= columns.count,
            columns.names[next..<next + part.count].elementsEqual(part.names)
        else {
            throw failure("read \(T.self) at column \(next), where its list does not hold \(T.self).columns")
        }
        let (outerColumns, outerModel, outerBase, outerNext) = (columns, model, base, next)
        (columns, model, base, next) = (part, type, outerBase + outerNext, 0)
        defer { (columns, model, base, next) = (outerColumns, outerModel, outerBase, outerNext + part.count) }
        let value = try T(row: self)
        try finish()
        return value
    }

    /// Text (VARCHAR, TEXT, JSON).
    public func string(_ name: String) throws -> String {
        try read(name, "") { try $0.string($1) }
    }

    /// Text or nil for NULL.
    public func optionalString(_ name: String) throws -> String? {
        try read(name, nil) { try $0.optionalString($1) }
    }

    /// Bytes (BLOB, VARBINARY).
    public func bytes(_ name: String) throws -> [UInt8] {
        try read(name, []) { try $0.bytes($1) }
    }

    /// An integer (any integer column).
    public func int(_ name: String) throws -> Int {
        try read(name, 0) { try $0.int($1) }
    }

    /// A DATETIME.
    public func date(_ name: String) throws -> Date {
        try read(name, Date(timeIntervalSince1970: 0)) { try $0.date($1) }
    }

    /// A DATETIME or nil for NULL.
    public func optionalDate(_ name: String) throws -> Date? {
        try read(name, nil) { try $0.optionalDate($1) }
    }

    /// A JSON column, parsed.
    public func json(_ name: String) throws -> JSONValue {
        try read(name, .null) { try $0.json($1) }
    }

    /// The value as the server sent it.
    public func value(_ name: String) throws -> MariaDBValue {
        try read(name, .null) { $0[$1] }
    }

    /// Runs `T`'s decoder without a row, each read answering a placeholder (`""`, `0`, nil, …),
    /// and checks that it reads every column of `T.columns` exactly once, in order: a test can
    /// prove a model's list and decoder agree without a server.
    /// - Throws: `DatabaseError` of kind `DatabaseError.Kind.rowDecoding` naming
    ///   the first column read wrongly or left unread.
    public static func checkColumns<T: MariaDBRowDecodable>(of type: T.Type) throws {
        let reader = MariaDBRowReader(type)
        reader.probing = true
        _ = try T(row: reader)
        try reader.finish()
    }

    /// Takes the next column, which must be `name`, and reads it with `body` (or answers
    /// `placeholder` when probing); a type mismatch names the column.
    private func read<Value>(
        _ name: String, _ placeholder: @autoclosure () -> Value, _ body: (MariaDBRow, Int) throws -> Value
    ) throws -> Value {
        let index = try take(name)
        if probing { return placeholder() }
        do {
            return try body(row, index)
        } catch let error as DatabaseError {
            throw DatabaseError(kind: error.kind, message: "\(model).\(name): \(error.message)")
        }
    }

    /// The row index of `name`, which must be the next column of the list.
    private func take(_ name: String) throws -> Int {
        guard next < columns.count, columns.names[next] == name else {
            if next < columns.count, columns.names[next...].contains(name) {
                throw failure("read `\(name)` before `\(columns.names[next])`; a decoder reads its list in order")
            }
            if columns.names[..<next].contains(name) {
                throw failure("read `\(name)` twice")
            }
            throw failure("read `\(name)`, which its column list does not have")
        }
        next += 1
        return base + next - 1
    }

    /// Every column of the list was read.
    private func finish() throws {
        guard next == columns.count else {
            throw failure("left `\(columns.names[next])` unread; its column list has \(columns.count) columns")
        }
    }

    private func failure(_ message: String) -> DatabaseError {
        DatabaseError(kind: .rowDecoding, message: "the decoder of \(model) \(message)")
    }
}

@available(*, unavailable)
extension MariaDBRowReader: Sendable {}

extension DatabaseError.Kind {
    /// A row did not fit the model decoding it: a column of the wrong type, or a decoder that
    /// does not read its ``MariaDBRowDecodable/columns`` exactly once each, in order. A bug in
    /// the code, never in the data: trying again cannot help.
    public static let rowDecoding = DatabaseError.Kind(rawValue: "row decoding")
}

public import EventflowDB
public import Foundation

/// The rows and counts a statement produced.
public struct MariaDBResult: Sendable {
    /// The column names, in order.
    public var columns: [String]
    /// The rows, in the order the server sent them.
    public var rows: [MariaDBRow]
    /// Rows changed by an `INSERT`, `UPDATE` or `DELETE` (not rows merely matched).
    public var affectedRows: UInt64
    /// The `AUTO_INCREMENT` value an `INSERT` generated, 0 when none.
    public var lastInsertID: UInt64
}

/// One row of a result, read by column index with typed accessors that throw on a type mismatch.
/// A model reads its rows by column name through ``MariaDBRowReader`` (see ``MariaDBRowDecodable``).
public struct MariaDBRow: Sendable {
    /// The values, one per column.
    public var values: [MariaDBValue]

    public init(values: [MariaDBValue]) {
        self.values = values
    }

    public subscript(index: Int) -> MariaDBValue { values[index] }

    private func mismatch(_ index: Int, _ expected: String) -> DatabaseError {
        DatabaseError(kind: .rowDecoding, message: "column \(index) is \(values[index]), expected \(expected)")
    }

    /// Text (VARCHAR, TEXT, JSON).
    public func string(_ index: Int) throws -> String {
        switch values[index] {
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .string(let text): return text
        default: throw mismatch(index, "text")
        }
    }

    /// Text or nil for NULL.
    public func optionalString(_ index: Int) throws -> String? {
        if case .null = values[index] { return nil }
        return try string(index)
    }

    /// Bytes (BLOB, VARBINARY).
    public func bytes(_ index: Int) throws -> [UInt8] {
        switch values[index] {
        case .bytes(let bytes): return bytes
        case .string(let text): return Array(text.utf8)
        default: throw mismatch(index, "bytes")
        }
    }

    /// An integer (any integer column).
    public func int(_ index: Int) throws -> Int {
        switch values[index] {
        case .int(let value): return Int(value)
        case .uint(let value) where value <= UInt64(Int.max): return Int(value)
        default: throw mismatch(index, "an integer")
        }
    }

    /// A DATETIME.
    public func date(_ index: Int) throws -> Date {
        guard case .datetime(let date) = values[index] else { throw mismatch(index, "a DATETIME") }
        return date
    }

    /// A DATETIME or nil for NULL.
    public func optionalDate(_ index: Int) throws -> Date? {
        if case .null = values[index] { return nil }
        return try date(index)
    }

    /// A JSON column, parsed.
    public func json(_ index: Int) throws -> JSONValue {
        switch values[index] {
        case .string(let text): return try JSONValue(parsing: text)
        case .bytes(let bytes): return try JSONValue(parsing: bytes)
        default: throw mismatch(index, "JSON text")
        }
    }
}

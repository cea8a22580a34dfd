import EventflowDB
public import Foundation

/// A value bound to a statement parameter or read from a result column.
///
/// Text columns (VARCHAR, TEXT, JSON) arrive as ``string(_:)``, binary ones (BLOB, VARBINARY)
/// as ``bytes(_:)``; read them with ``MariaDBRow``'s typed accessors.
public enum MariaDBValue: Sendable, Equatable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    /// UTF-8 text given as its bytes (for example compact JSON), bound as text without a
    /// detour through `String`. Never read back: text columns arrive as ``string(_:)``.
    case text([UInt8])
    /// A `DATETIME`, UTC, to the microsecond the column holds.
    case datetime(Date)
}

extension MariaDBValue: CustomStringConvertible {
    /// The kind of value only: bound values never reach a log line.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .int: "INT"
        case .uint: "UNSIGNED INT"
        case .double: "DOUBLE"
        case .string(let text): "STRING(\(text.utf8.count) bytes)"
        case .bytes(let bytes): "BYTES(\(bytes.count))"
        case .text(let bytes): "TEXT(\(bytes.count) bytes)"
        case .datetime: "DATETIME"
        }
    }
}

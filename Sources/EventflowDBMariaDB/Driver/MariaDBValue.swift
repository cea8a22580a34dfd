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
        case .datetime: "DATETIME"
        }
    }
}

public import EventflowDB

/// The name of a database, table, column or partition, checked so that it can be written into
/// SQL text: 1 to 64 ASCII letters, digits and underscores.
///
/// SQL takes no parameter where it names something (DDL, a `FROM` clause), so a name cannot be
/// bound like a value. Interpolated into a ``MariaDBQuery`` it is written backquoted, and a name
/// made at run time is checked first:
///
/// ```swift
/// let partition = try MariaDBIdentifier("p_cold_" + day)          // throws .invalidInput
/// let drop: MariaDBQuery = "ALTER TABLE log DROP PARTITION \(partition)"
/// let create: MariaDBQuery = try "CREATE DATABASE \(identifier: name)"  // the same check, inline
/// ```
///
/// A name written in the code is a string literal: `let table: MariaDBIdentifier = "event"`.
public struct MariaDBIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The longest name MariaDB accepts for a database, table, column or partition.
    public static let maximumLength = 64

    /// The name, unquoted.
    public let name: String

    /// Checks `name`.
    /// - Throws: ``/EventflowDB/EventflowDBError`` with code
    ///   ``/EventflowDB/EventflowDBError/Code/invalidInput`` when `name` is empty, longer than
    ///   ``maximumLength``, or holds anything but ASCII letters, digits and underscores (a
    ///   backquote, a space, a dot).
    public init(_ name: String) throws(EventflowDBError) {
        guard Self.isValid(name) else {
            throw EventflowDBError(
                .invalidInput,
                "an SQL name must be 1 to \(Self.maximumLength) ASCII letters, digits and underscores",
                field: "identifier", detail: "refused name: \(name.debugDescription)")
        }
        self.name = name
    }

    /// Whether `name` is 1 to ``maximumLength`` ASCII letters, digits and underscores.
    public static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        return (1...maximumLength).contains(bytes.count)
            && bytes.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }

    /// The name as SQL text: backquoted.
    public var quoted: String { "`" + name + "`" }

    /// The name, unquoted.
    public var description: String { name }
}

extension MariaDBIdentifier: ExpressibleByStringLiteral {
    /// A name written in the code. A literal that is not a valid name is a programming error
    /// and stops the program.
    public init(stringLiteral name: StaticString) {
        do {
            try self.init("\(name)")
        } catch {
            preconditionFailure("not an SQL name: \(name)")
        }
    }
}

/// An id-like value (an id, domain, pid, name, cpid, eid, agent or hub id) that passed the input
/// rules: 1–64 printable ASCII characters, not ending in a space.
///
/// The repository protocols take identifiers in this form at their requirements, so a backend
/// only ever sees checked input; callers use the `String` forms in the protocols' extensions,
/// which check once and forward.
public struct Identifier: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The identifier as given.
    public let value: String

    /// Checks `value`.
    ///
    /// - Parameters:
    ///   - value: The identifier: 1–64 printable ASCII characters, not ending in a space.
    ///   - field: The argument's name, for the error.
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `field`.
    public init(_ value: String, field: String) throws {
        try Validator.identifier(value, field: field)
        self.value = value
    }

    /// Checks an optional identifier; nil stays nil.
    public static func optional(_ value: String?, field: String) throws -> Identifier? {
        try value.map { try Identifier($0, field: field) }
    }

    /// Checks every identifier of a list, naming the list in the error.
    public static func list(_ values: [String], field: String) throws -> [Identifier] {
        try values.map { try Identifier($0, field: field) }
    }

    public var description: String { value }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.value < rhs.value }
}

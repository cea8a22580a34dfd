public import Foundation

/// A checked window of time: both ends optional and inclusive, each a date of
/// ``InputRange/dates``.
public struct TimeRange: Sendable, Hashable {
    /// The earliest time, inclusive; nil for no lower bound.
    public let from: Date?
    /// The latest time, inclusive; nil for no upper bound.
    public let to: Date?

    /// Checks a window.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `from` or `to`.
    public init(from: Date?, to: Date?) throws {
        try Validator.optionalDate(from, field: "from")
        try Validator.optionalDate(to, field: "to")
        self.from = from
        self.to = to
    }
}

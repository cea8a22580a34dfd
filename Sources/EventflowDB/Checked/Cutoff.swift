public import Foundation

/// A checked time and row limit of a read that returns what is due (or happened) by a time:
/// the time a `DATETIME` column can hold, the limit within 1–10,000.
public struct Cutoff: Sendable, Hashable {
    /// The time, inclusive; nil for "now" where the read allows it.
    public let time: Date?
    /// The most rows to return; nil for no limit where the read allows it.
    public let limit: Int?

    /// Checks a time and a limit.
    ///
    /// - Parameters:
    ///   - time: The time, within what a `DATETIME` column holds; nil for "now" where the read allows it.
    ///   - field: The time argument's name, for the error.
    ///   - limit: The most rows, 1–10,000; nil for no limit where the read allows it.
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `field` or `limit`.
    public init(_ time: Date?, field: String, limit: Int? = nil) throws {
        if let time { try Validator.date(time, field: field) }
        if let limit { try Validator.limit(limit) }
        self.time = time
        self.limit = limit
    }
}

public import Foundation

/// Where an event log page starts: after the event with this timestamp and position. Event logs
/// are ordered by (timestamp, position), so this pair is the keyset of a page.
public struct EventCursor: Sendable, Hashable {
    /// The last event's timestamp, to the millisecond.
    public let timestamp: Date
    /// The last event's ``Event/position``.
    public let position: UInt64

    public init(timestamp: Date, position: UInt64) {
        self.timestamp = timestamp
        self.position = position
    }
}

extension Event {
    /// The cursor that starts the page after this event; nil for an event not read from a
    /// database.
    public var cursor: EventCursor? {
        position.map { EventCursor(timestamp: timestamp, position: $0) }
    }
}

/// A checked page of an event log: the events after a cursor (from the start when nil), at most
/// `limit` (1–10,000) of them.
public struct LogPage: Sendable, Hashable {
    public let after: EventCursor?
    public let limit: Int

    /// Checks a page.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `limit`.
    public init(after: EventCursor?, limit: Int) throws {
        try Validator.limit(limit)
        self.after = after
        self.limit = limit
    }
}

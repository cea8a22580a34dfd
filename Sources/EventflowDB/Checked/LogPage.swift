public import Foundation

/// Where an event log page (or a page of the agent log) starts: after the event (or line) with
/// this timestamp and position. Both logs are ordered by (timestamp, position), so this pair is
/// the keyset of a page.
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
/// `limit` (1–10,000) of them, optionally only those between two times (inclusive, to the
/// millisecond) or with one of some names.
public struct LogPage: Sendable, Hashable {
    /// The page starts after this event (or line); at the start when nil.
    public let after: EventCursor?
    /// The most rows in the page.
    public let limit: Int
    /// The earliest timestamp, inclusive, truncated to the millisecond.
    public let from: Date?
    /// The latest timestamp, inclusive, truncated to the millisecond.
    public let to: Date?
    /// Only events with one of these names; nil for any name (never empty).
    public let names: [Identifier]?

    /// Checks a page.
    ///
    /// - Parameters:
    ///   - after: The cursor of the last event of the previous page; nil from the start.
    ///   - limit: The most events, 1–10,000.
    ///   - limitField: The limit argument's name, for the error (`pageSize` for the streaming reads).
    ///   - from: Only events at or after this time; nil for no bound.
    ///   - to: Only events at or before this time; nil for no bound.
    ///   - names: Only events with one of these names; nil for any name.
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `after.timestamp` (a cursor's time
    ///   outside ``InputRange/dates``), `limit`, `names`, `from` or `to`.
    public init(
        after: EventCursor?, limit: Int, from: Date? = nil, to: Date? = nil, names: [String]? = nil,
        limitField: String = "limit"
    ) throws {
        if let after { try Validator.cursor(after, field: "after") }
        try Validator.limit(limit, field: limitField)
        try Validator.optionalDate(from, field: "from")
        try Validator.optionalDate(to, field: "to")
        let checked = try names.map { try Identifier.list($0, field: "names") }
        if checked?.isEmpty == true { throw EventflowDBError.invalid("names", "must not be empty") }
        self.after = after
        self.limit = limit
        self.from = from?.truncatedToMilliseconds
        self.to = to?.truncatedToMilliseconds
        self.names = checked
    }

    /// The page of `rows` (already in log order): those past the cursor that pass the filters,
    /// at most `limit`. For backends that hold rows in memory.
    public func select(from rows: some Sequence<Event>) -> [Event] {
        Array(
            rows.lazy.filter { event in
                admits(event)
                    && after.map { (event.timestamp, event.position ?? 0) > ($0.timestamp, $0.position) } ?? true
            }.prefix(limit))
    }

    /// Whether an event passes the page's time and name filters (not its cursor or limit).
    public func admits(_ event: Event) -> Bool {
        (from.map { event.timestamp >= $0 } ?? true) && (to.map { event.timestamp <= $0 } ?? true)
            && (names.map { $0.contains { $0.value == event.name } } ?? true)
    }
}

public import Foundation

/// A stored event.
public struct Event: Sendable, Equatable, Codable {
    public var id: String
    /// When it happened, with millisecond precision, UTC.
    public var timestamp: Date
    public var domain: String
    /// The id of the event this one refers to; nil also when that event was deleted.
    public var rid: String?
    public var pid: String
    public var name: String
    public var data: JSONValue
    /// The event's place in the order events were stored (the database's insertion counter,
    /// `event.seq`): increasing, never reused, with gaps. Nil for an event not read from a
    /// database. A consumer keeps the last one it handled and resumes with
    /// ``EventRepository/readEvents(domain:after:limit:)``.
    public var position: UInt64?

    public init(
        id: String, timestamp: Date, domain: String, rid: String?, pid: String, name: String, data: JSONValue,
        position: UInt64? = nil
    ) {
        self.id = id
        self.timestamp = timestamp
        self.domain = domain
        self.rid = rid
        self.pid = pid
        self.name = name
        self.data = data
        self.position = position
    }

    /// The event without its position: what was written, to compare with what was sent.
    package var content: Event {
        var event = self
        event.position = nil
        return event
    }
}

public import Foundation

/// An event to persist with ``EventRepository/persistEvent(_:)``.
public struct NewEvent: Sendable, Equatable, Codable {
    /// The id; generated (unique, time-ordered) when nil.
    public var id: String?
    /// When it happened; now when nil. Stored with millisecond precision.
    public var timestamp: Date?
    /// The domain of the process the event belongs to.
    public var domain: String
    /// The id of the event this one refers to, if any. Must exist.
    public var rid: String?
    /// The process id: the event log this event belongs to.
    public var pid: String
    /// The event's name.
    public var name: String
    /// The payload. `{}` by default.
    public var data: JSONValue

    /// Creates an event to persist.
    public init(
        id: String? = nil, timestamp: Date? = nil, domain: String, rid: String? = nil, pid: String,
        name: String, data: JSONValue = .emptyObject
    ) {
        self.id = id
        self.timestamp = timestamp
        self.domain = domain
        self.rid = rid
        self.pid = pid
        self.name = name
        self.data = data
    }
}

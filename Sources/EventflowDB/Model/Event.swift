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

    public init(id: String, timestamp: Date, domain: String, rid: String?, pid: String, name: String, data: JSONValue) {
        self.id = id
        self.timestamp = timestamp
        self.domain = domain
        self.rid = rid
        self.pid = pid
        self.name = name
        self.data = data
    }
}

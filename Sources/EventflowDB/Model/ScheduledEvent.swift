public import Foundation

/// A schedule to record with ``EventScheduledRepository/persistEventScheduled(_:)``.
public struct NewEventScheduled: Sendable, Equatable, Codable {
    public var eventID: String
    /// When it is due. Stored with second precision.
    public var scheduled: Date

    public init(eventID: String, scheduled: Date) {
        self.eventID = eventID
        self.scheduled = scheduled
    }
}

/// A scheduled event with the identity of its event. Times are UTC with second precision.
public struct ScheduledEvent: Sendable, Equatable, Codable {
    public var eventID: String
    /// The event's domain, pid and name, which a hub needs to dispatch it.
    public var domain: String
    public var pid: String
    public var name: String
    /// When the schedule was recorded.
    public var timestamp: Date
    /// When it is due.
    public var scheduled: Date
    public var executed: Date?
    public var success: Date?
    public var failed: Date?

    public init(
        eventID: String, domain: String, pid: String, name: String, timestamp: Date, scheduled: Date,
        executed: Date? = nil, success: Date? = nil, failed: Date? = nil
    ) {
        self.eventID = eventID
        self.domain = domain
        self.pid = pid
        self.name = name
        self.timestamp = timestamp
        self.scheduled = scheduled
        self.executed = executed
        self.success = success
        self.failed = failed
    }
}

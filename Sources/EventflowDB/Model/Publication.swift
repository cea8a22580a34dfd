public import Foundation

/// Everything a spoke writes when it publishes an event, written all or nothing by
/// ``EventflowDB/publish(_:)``.
public struct Publication: Sendable, Equatable {
    /// The event to persist.
    public var event: NewEvent
    /// Who publishes it.
    public var publisher: String
    /// The intended consumer, if known.
    public var consumer: String?
    /// The hub it goes through, if known. Must be registered.
    public var hub: String?
    /// When to run it, for a scheduled event.
    public var scheduled: Date?
    /// Child processes to associate it with.
    public var cpids: [EventCpid]
    /// External ids to associate it with.
    public var eids: [String]

    public init(
        event: NewEvent, publisher: String, consumer: String? = nil, hub: String? = nil, scheduled: Date? = nil,
        cpids: [EventCpid] = [], eids: [String] = []
    ) {
        self.event = event
        self.publisher = publisher
        self.consumer = consumer
        self.hub = hub
        self.scheduled = scheduled
        self.cpids = cpids
        self.eids = eids
    }
}

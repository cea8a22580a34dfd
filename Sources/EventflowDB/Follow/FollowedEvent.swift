/// An event as a follower reads it: the event, and its follow position in its domain's feed.
///
/// Follow positions are granted only to committed events, in one order every follower agrees
/// on, and a position is never granted below one already granted: a follower that resumes after
/// ``position`` misses nothing and reads nothing twice. They are not ``Event/position`` (the
/// insertion counter, taken when a write starts and visible only when it commits) and may have
/// holes (deleted events, other domains).
public struct FollowedEvent: Sendable, Equatable {
    /// The follow position: resume after it.
    public let position: UInt64
    /// The event.
    public let event: Event

    /// An event at a follow position.
    public init(position: UInt64, event: Event) {
        self.position = position
        self.event = event
    }
}

/// A named consumer's stored position in a domain's feed, and how far it is behind.
public struct ConsumerPosition: Sendable, Equatable {
    /// The consumer's name (a hub, a projection).
    public let name: String
    /// The domain it follows.
    public let domain: String
    /// The follow position of the last event it handled (0 before the first).
    public let position: UInt64
    /// How many events of the domain it has not handled yet: those after ``position`` and those
    /// committed but not yet given a follow position.
    public let behind: Int

    /// A consumer's position.
    public init(name: String, domain: String, position: UInt64, behind: Int) {
        self.name = name
        self.domain = domain
        self.position = position
        self.behind = behind
    }
}

/// Which consumer positions ``FollowRepository/fetchConsumers(_:)`` reads.
public enum ConsumerQuery: Sendable, Hashable {
    /// One consumer's position in one domain.
    case one(name: Identifier, domain: Identifier)
    /// Every stored position, by name then domain.
    case all
}

extension EventflowDBError.Code {
    /// Reading a domain's feed (granting follow positions, reading after one) failed.
    public static let eventFollow = EventflowDBError.Code(rawValue: "E_EVENTFLOW_DB_EVENT_FOLLOW")
    /// Reading or storing a consumer's position failed.
    public static let consumerPosition = EventflowDBError.Code(rawValue: "E_EVENTFLOW_DB_CONSUMER_POSITION")
}

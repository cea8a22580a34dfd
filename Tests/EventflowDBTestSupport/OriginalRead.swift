/// This project's model of one read statement of the original JavaScript library in one of its
/// generations, written from the original's documented behaviour (not taken from its source):
/// the tables, joins and filters that generation reads with, and the order in which it binds
/// its arguments.
///
/// Tests run these through the driver with bound values on every kind of database a mixed fleet
/// meets, so that what an old service can still read is measured against the model rather than
/// assumed.
public struct OriginalRead: Sendable, CustomStringConvertible {
    /// The original's method, named as the original names it.
    public enum Operation: String, Sendable, CaseIterable {
        case readEvent, readEventsByDomainAndPid, readEventsByDomainAndPidBetweenTimestamps, readDistinctPidByDomain
        case readEventCpidByEventId, readEventsByDomainAndCpid
        case readEventEidByEventId, readEventsByEid, readEventsByDomainAndEid
        case readEventsScheduled, readOnlineHubs, hasHubQuit, readCertificate

        /// The arguments in the order the original binds them (the same in every release).
        public var arguments: [Argument] {
            switch self {
            case .readEvent, .readEventCpidByEventId, .readEventEidByEventId: [.eventID]
            case .readEventsByDomainAndPid: [.pid, .domain]
            case .readEventsByDomainAndPidBetweenTimestamps: [.pid, .domain, .from, .to]
            case .readDistinctPidByDomain: [.domain]
            case .readEventsByDomainAndCpid: [.cpid, .cpidDomain]
            case .readEventsByEid: [.eid]
            case .readEventsByDomainAndEid: [.eid, .domain]
            case .readEventsScheduled, .readOnlineHubs: []
            case .hasHubQuit: [.hubID]
            case .readCertificate: [.certificateID]
            }
        }
    }

    /// What the original binds to a placeholder.
    public enum Argument: Sendable {
        /// An event's id.
        case eventID
        /// An event's own domain.
        case domain
        /// The domain an association is read under (its own, or for v4.1.0 the event's).
        case cpidDomain
        /// A process id.
        case pid
        /// A child process id.
        case cpid
        /// An external id.
        case eid
        /// The lower and upper bounds of a time range.
        case from, to
        /// A hub's id.
        case hubID
        /// A certificate's id.
        case certificateID
    }

    /// Which method this is.
    public let operation: Operation
    /// The modelled statement.
    public let sql: String

    /// The original's method name.
    public var description: String { operation.rawValue }
}

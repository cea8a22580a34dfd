public import Foundation

/// Which events a read selects: the one value behind every event read of ``EventRepository``,
/// so a backend answers all of them through ``EventRepository/fetchEvents(_:)``.
///
/// Every value is checked: only the repository's public methods make them. Reads return events
/// oldest first, equal timestamps in the order they were stored, except ``domain(_:after:)``,
/// which is in position order.
public enum EventQuery: Sendable, Hashable {
    /// The event with this id (none or one).
    case id(Identifier)
    /// The event log of a process, whole.
    case log(domain: Identifier, pid: Identifier)
    /// The event log of a process between two times, both inclusive, already truncated to the
    /// millisecond the `timestamp` column holds.
    case logBetween(domain: Identifier, pid: Identifier, from: Date, to: Date)
    /// The events of a process with one of these names (never empty, maybe with repeats).
    case logNamed(domain: Identifier, pid: Identifier, names: [Identifier])
    /// A keyset page of a process's event log.
    case logPage(domain: Identifier, pid: Identifier, page: LogPage)
    /// The events associated with a child process (by the association's domain); a keyset page
    /// of them when `page` is given.
    case cpid(domain: Identifier, cpid: Identifier, page: LogPage?)
    /// The events associated with an external id, only those of `domain` (the event's own) when
    /// given; a keyset page of them when `page` is given.
    case eid(Identifier, domain: Identifier?, page: LogPage?)
    /// The events of a domain with a position after the page's, in position order, at most its
    /// limit.
    case domain(Identifier, after: Page)

    /// The code of the error a backend throws when this read fails.
    public var failureCode: EventflowDBError.Code {
        switch self {
        case .id, .domain: .eventRead
        case .log, .logNamed, .logPage: .eventReadByPid
        case .logBetween: .eventReadByPidBetweenTimestamps
        case .cpid: .eventByDomainAndCpidRead
        case .eid(_, let domain, _): domain == nil ? .eventsReadByEid : .eventsReadByDomainAndEid
        }
    }

    /// The message of the error a backend throws when this read fails.
    public var failureMessage: String {
        switch self {
        case .id: "could not read event by id"
        case .log: "could not read events by pid and domain"
        case .logBetween: "could not read events by pid and domain between timestamps"
        case .logNamed: "could not read events by pid, domain and names"
        case .logPage: "could not read a page of events by pid and domain"
        case .cpid: "could not read events by domain and cpid"
        case .eid: "could not read events by eid"
        case .domain: "could not read the events of a domain after a position"
        }
    }
}

/// Which events a delete removes, with everything that cascades from them.
public enum EventSelection: Sendable, Hashable {
    /// The event with this id.
    case id(Identifier)
    /// The whole event log of a process.
    case log(domain: Identifier, pid: Identifier)

    /// The code of the error a backend throws when this delete fails.
    public var failureCode: EventflowDBError.Code {
        switch self {
        case .id: .eventDelete
        case .log: .eventDeleteByPid
        }
    }
}

/// An association of an event: with a child process (by the child's domain) or with an
/// external id.
public enum EventAssociation: Sendable, Hashable {
    /// The event is associated with a child process of `domain`.
    case cpid(eventID: Identifier, domain: Identifier, cpid: Identifier)
    /// The event is associated with an external id.
    case eid(eventID: Identifier, eid: Identifier)

    /// The event's id.
    public var eventID: Identifier {
        switch self {
        case .cpid(let eventID, _, _), .eid(let eventID, _): eventID
        }
    }

    /// The code of the error a backend throws when storing the association fails (an unknown
    /// event included).
    public var persistCode: EventflowDBError.Code {
        switch self {
        case .cpid: .eventCpidPersist
        case .eid: .eventEidPersist
        }
    }

    /// The code of the error a backend throws when removing the association fails.
    public var deleteCode: EventflowDBError.Code {
        switch self {
        case .cpid: .eventCpidDelete
        case .eid: .eventEidDelete
        }
    }
}

public import Foundation

/// Events, their event logs (by domain and process id), and their cpid and eid associations.
///
/// Reads of several events return them oldest first; events with equal timestamps keep the order
/// in which they were persisted.
public protocol EventRepository: Sendable {
    /// Stores an event and returns its id (the given one, or a generated one).
    ///
    /// - Throws: ``EventflowDBError/Code/eventPersist`` (a duplicate id has
    ///   ``EventflowDBError/isDuplicate``; an unknown `rid` ``EventflowDBError/isForeignKeyViolation``),
    ///   ``EventflowDBError/Code/invalidInput``.
    @discardableResult
    func persistEvent(_ event: NewEvent) async throws -> String

    /// Stores several events at once, all or nothing, and returns their ids in order. Faster than
    /// one call each: one transaction, and few statements.
    ///
    /// - Throws: like ``persistEvent(_:)``; when it throws, none of the events is stored.
    @discardableResult
    func persistEvents(_ events: [NewEvent]) async throws -> [String]

    /// The event with that id.
    ///
    /// - Throws: ``EventflowDBError/Code/eventNotFound`` when there is none.
    func readEvent(id: String) async throws -> Event

    /// The event log of a process.
    func readEvents(domain: String, pid: String) async throws -> [Event]

    /// The event log of a process between two times, both inclusive.
    func readEvents(domain: String, pid: String, from: Date, to: Date) async throws -> [Event]

    /// The events of a process with one of the given names; `[]` for an empty list.
    func readEvents(domain: String, pid: String, names: [String]) async throws -> [Event]

    /// The process ids that have events in a domain, ascending.
    func readDistinctPids(domain: String) async throws -> [String]

    /// Deletes an event with its cpid, eid, published and scheduled rows. Events that refer to it
    /// keep existing with `rid` nil. Returns whether it existed.
    @discardableResult
    func deleteEvent(id: String) async throws -> Bool

    /// Deletes the whole event log of a process. Returns whether anything was deleted.
    @discardableResult
    func deleteEvents(domain: String, pid: String) async throws -> Bool

    /// Associates an event with a child process. Returns false when the association exists.
    ///
    /// - Throws: ``EventflowDBError/Code/eventCpidPersist`` for an unknown event.
    @discardableResult
    func persistEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool

    /// Removes an association. Returns whether it existed.
    @discardableResult
    func deleteEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool

    /// The child processes an event is associated with.
    func readEventCpids(eventID: String) async throws -> [EventCpid]

    /// The events associated with a child process, by the association's domain (the child's).
    func readEvents(domain: String, cpid: String) async throws -> [Event]

    /// Associates an event with an external id. Returns false when the association exists.
    ///
    /// - Throws: ``EventflowDBError/Code/eventEidPersist`` for an unknown event.
    @discardableResult
    func persistEventEid(eventID: String, eid: String) async throws -> Bool

    /// Removes an association. Returns whether it existed.
    @discardableResult
    func deleteEventEid(eventID: String, eid: String) async throws -> Bool

    /// The external ids an event is associated with.
    func readEventEids(eventID: String) async throws -> [String]

    /// The events associated with an external id.
    func readEvents(eid: String) async throws -> [Event]

    /// The events of a domain (the event's own) associated with an external id.
    func readEvents(domain: String, eid: String) async throws -> [Event]
}

public import Foundation

/// Events, their event logs (by domain and process id), and their cpid and eid associations.
///
/// Reads of several events return them oldest first; events with equal timestamps keep the order
/// in which they were persisted.
///
/// Callers use the methods of the extension, which take plain values, check them once and
/// forward to the requirements. A backend implements the requirements, which take checked
/// values (``Identifier``, ``Validated``), so no backend checks input again.
public protocol EventRepository: Sendable {
    /// Implements ``persistEvent(_:)-(NewEvent)``.
    @discardableResult
    func persistEvent(_ event: Validated<NewEvent>) async throws -> String
    /// Implements ``persistEvents(_:)-([NewEvent])``.
    @discardableResult
    func persistEvents(_ events: [Validated<NewEvent>]) async throws -> [String]
    /// Implements ``readEvent(id:)-(String)``.
    func readEvent(id: Identifier) async throws -> Event
    /// Implements ``readEvents(domain:pid:)-(String,String)``.
    func readEvents(domain: Identifier, pid: Identifier) async throws -> [Event]
    /// Implements ``readEvents(domain:pid:from:to:)-(String,String,_,_)``; the times are
    /// truncated to the millisecond the `timestamp` column holds.
    func readEvents(domain: Identifier, pid: Identifier, from: Date, to: Date) async throws -> [Event]
    /// Implements ``readEvents(domain:pid:names:)-(String,String,[String])``; `names` is not empty.
    func readEvents(domain: Identifier, pid: Identifier, names: [Identifier]) async throws -> [Event]
    /// Implements ``readEvents(domain:pid:after:limit:)-(String,String,_,_)``.
    func readEvents(domain: Identifier, pid: Identifier, page: LogPage) async throws -> [Event]
    /// Implements ``events(domain:cpid:pageSize:)``: a page of the events associated with a
    /// child process, in log order.
    func readEvents(domain: Identifier, cpid: Identifier, page: LogPage) async throws -> [Event]
    /// Implements ``events(eid:domain:pageSize:)``: a page of the events associated with an
    /// external id (of one domain when given), in log order.
    func readEvents(eid: Identifier, domain: Identifier?, page: LogPage) async throws -> [Event]
    /// Implements ``readEvents(domain:after:limit:)-(String,_,_)``.
    func readEvents(domain: Identifier, after page: Page) async throws -> [Event]
    /// Implements ``readDistinctPids(domain:)-(String)``.
    func readDistinctPids(domain: Identifier) async throws -> [String]
    /// Implements ``deleteEvent(id:)-(String)``.
    @discardableResult
    func deleteEvent(id: Identifier) async throws -> Bool
    /// Implements ``deleteEvents(domain:pid:)-(String,String)``.
    @discardableResult
    func deleteEvents(domain: Identifier, pid: Identifier) async throws -> Bool
    /// Implements ``persistEventCpid(eventID:domain:cpid:)-(String,String,String)``.
    @discardableResult
    func persistEventCpid(eventID: Identifier, domain: Identifier, cpid: Identifier) async throws -> Bool
    /// Implements ``deleteEventCpid(eventID:domain:cpid:)-(String,String,String)``.
    @discardableResult
    func deleteEventCpid(eventID: Identifier, domain: Identifier, cpid: Identifier) async throws -> Bool
    /// Implements ``readEventCpids(eventID:)-(String)``.
    func readEventCpids(eventID: Identifier) async throws -> [EventCpid]
    /// Implements ``readEvents(domain:cpid:)-(String,String)``.
    func readEvents(domain: Identifier, cpid: Identifier) async throws -> [Event]
    /// Implements ``persistEventEid(eventID:eid:)-(String,String)``.
    @discardableResult
    func persistEventEid(eventID: Identifier, eid: Identifier) async throws -> Bool
    /// Implements ``deleteEventEid(eventID:eid:)-(String,String)``.
    @discardableResult
    func deleteEventEid(eventID: Identifier, eid: Identifier) async throws -> Bool
    /// Implements ``readEventEids(eventID:)-(String)``.
    func readEventEids(eventID: Identifier) async throws -> [String]
    /// Implements ``readEvents(eid:)-(String)``.
    func readEvents(eid: Identifier) async throws -> [Event]
    /// Implements ``readEvents(domain:eid:)-(String,String)``.
    func readEvents(domain: Identifier, eid: Identifier) async throws -> [Event]
}

extension EventRepository {
    /// Stores an event and returns its id (the given one, or a generated one).
    ///
    /// - Throws: ``EventflowDBError/Code/eventPersist`` (a duplicate id has
    ///   ``EventflowDBError/isDuplicate``; an unknown `rid` ``EventflowDBError/isForeignKeyViolation``),
    ///   ``EventflowDBError/Code/invalidInput``.
    @discardableResult
    public func persistEvent(_ event: NewEvent) async throws -> String {
        try await persistEvent(Validated(event))
    }

    /// Stores several events at once, all or nothing, and returns their ids in order. Faster than
    /// one call each: one transaction, and few statements.
    ///
    /// - Throws: like ``persistEvent(_:)-(NewEvent)``; when it throws, none of the events is stored.
    @discardableResult
    public func persistEvents(_ events: [NewEvent]) async throws -> [String] {
        try await persistEvents(events.map(Validated.init))
    }

    /// The event with that id.
    ///
    /// - Throws: ``EventflowDBError/Code/eventNotFound`` when there is none.
    public func readEvent(id: String) async throws -> Event {
        try await readEvent(id: Identifier(id, field: "id"))
    }

    /// The event log of a process.
    public func readEvents(domain: String, pid: String) async throws -> [Event] {
        try await readEvents(domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid"))
    }

    /// The event log of a process between two times, both inclusive, at the millisecond
    /// precision of the stored times.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `from` or `to` for a date outside
    ///   ``InputRange/dates``.
    public func readEvents(domain: String, pid: String, from: Date, to: Date) async throws -> [Event] {
        let (domain, pid) = (try Identifier(domain, field: "domain"), try Identifier(pid, field: "pid"))
        try Validator.date(from, field: "from")
        try Validator.date(to, field: "to")
        return try await readEvents(
            domain: domain, pid: pid, from: from.truncatedToMilliseconds, to: to.truncatedToMilliseconds)
    }

    /// The events of a process with one of the given names; `[]` for an empty list.
    public func readEvents(domain: String, pid: String, names: [String]) async throws -> [Event] {
        let (domain, pid) = (try Identifier(domain, field: "domain"), try Identifier(pid, field: "pid"))
        let names = try Identifier.list(names, field: "names")
        return names.isEmpty ? [] : try await readEvents(domain: domain, pid: pid, names: names)
    }

    /// The events of a domain stored after `position`, in the order they were stored, at most
    /// `limit` (1–10,000): a catch-up read for a consumer that resumes where it stopped.
    ///
    /// ```swift
    /// var position: UInt64 = 0  // or the last one handled, kept by the consumer
    /// while true {
    ///     let events = try await repository.readEvents(domain: "orders", after: position, limit: 500)
    ///     if events.isEmpty { break }
    ///     for event in events { try await handle(event) }
    ///     position = events.last!.position!
    /// }
    /// ```
    public func readEvents(domain: String, after position: UInt64, limit: Int) async throws -> [Event] {
        try await readEvents(domain: Identifier(domain, field: "domain"), after: Page(after: position, limit: limit))
    }

    /// A page of a process's event log: the events after `cursor` (from the start when nil), in
    /// log order, at most `limit` (1–10,000). The next page starts after the last event's
    /// ``Event/cursor``. ``eventLog(domain:pid:from:to:names:pageSize:)`` iterates them for you.
    public func readEvents(domain: String, pid: String, after cursor: EventCursor?, limit: Int) async throws -> [Event]
    {
        try await readEvents(
            domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid"),
            page: LogPage(after: cursor, limit: limit))
    }

    /// A process's event log as an asynchronous sequence, read `pageSize` events at a time: a
    /// log of any length streams in bounded memory. Optionally only the events between two
    /// times (inclusive) or with one of some names, as the array reads
    /// ``readEvents(domain:pid:from:to:)-(String,String,_,_)`` and
    /// ``readEvents(domain:pid:names:)-(String,String,[String])`` give them.
    ///
    /// - Throws: while iterating, ``EventflowDBError/Code/invalidInput`` for a bad domain, pid,
    ///   time, name or page size, and the read's errors.
    public func eventLog(
        domain: String, pid: String, from: Date? = nil, to: Date? = nil, names: [String]? = nil, pageSize: Int = 1_000
    ) -> PagedEvents {
        PagedEvents { last in
            if names?.isEmpty == true { return [] }
            return try await readEvents(
                domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid"),
                page: LogPage(
                    after: last?.cursor, limit: pageSize, from: from, to: to, names: names, limitField: "pageSize"))
        }
    }

    /// A domain's events in the order they were stored, after `position` (0 from the start),
    /// as an asynchronous sequence read `pageSize` events at a time: the catch-up read of
    /// ``readEvents(domain:after:limit:)-(String,_,_)`` without the loop.
    public func events(domain: String, after position: UInt64 = 0, pageSize: Int = 1_000) -> PagedEvents {
        PagedEvents { last in
            try Validator.limit(pageSize, field: "pageSize")
            return try await readEvents(domain: domain, after: last?.position ?? position, limit: pageSize)
        }
    }

    /// The events associated with a child process, as ``readEvents(domain:cpid:)-(String,String)``
    /// gives them, read `pageSize` at a time.
    public func events(domain: String, cpid: String, pageSize: Int = 1_000) -> PagedEvents {
        PagedEvents { last in
            try await readEvents(
                domain: Identifier(domain, field: "domain"), cpid: Identifier(cpid, field: "cpid"),
                page: LogPage(after: last?.cursor, limit: pageSize, limitField: "pageSize"))
        }
    }

    /// The events associated with an external id (of one domain when given), as
    /// ``readEvents(eid:)-(String)`` and ``readEvents(domain:eid:)-(String,String)`` give them,
    /// read `pageSize` at a time.
    public func events(eid: String, domain: String? = nil, pageSize: Int = 1_000) -> PagedEvents {
        PagedEvents { last in
            try await readEvents(
                eid: Identifier(eid, field: "eid"), domain: Identifier.optional(domain, field: "domain"),
                page: LogPage(after: last?.cursor, limit: pageSize, limitField: "pageSize"))
        }
    }

    /// The process ids that have events in a domain, ascending.
    public func readDistinctPids(domain: String) async throws -> [String] {
        try await readDistinctPids(domain: Identifier(domain, field: "domain"))
    }

    /// Deletes an event with its cpid, eid, published and scheduled rows. Events that refer to it
    /// keep existing with `rid` nil. Returns whether it existed.
    @discardableResult
    public func deleteEvent(id: String) async throws -> Bool {
        try await deleteEvent(id: Identifier(id, field: "id"))
    }

    /// Deletes the whole event log of a process. Returns whether anything was deleted.
    @discardableResult
    public func deleteEvents(domain: String, pid: String) async throws -> Bool {
        try await deleteEvents(domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid"))
    }

    /// Associates an event with a child process. Returns false when the association exists.
    ///
    /// - Throws: ``EventflowDBError/Code/eventCpidPersist`` for an unknown event.
    @discardableResult
    public func persistEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try await persistEventCpid(
            eventID: Identifier(eventID, field: "eventID"), domain: Identifier(domain, field: "domain"),
            cpid: Identifier(cpid, field: "cpid"))
    }

    /// Removes an association. Returns whether it existed.
    @discardableResult
    public func deleteEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try await deleteEventCpid(
            eventID: Identifier(eventID, field: "eventID"), domain: Identifier(domain, field: "domain"),
            cpid: Identifier(cpid, field: "cpid"))
    }

    /// The child processes an event is associated with.
    public func readEventCpids(eventID: String) async throws -> [EventCpid] {
        try await readEventCpids(eventID: Identifier(eventID, field: "eventID"))
    }

    /// The events associated with a child process, by the association's domain (the child's).
    public func readEvents(domain: String, cpid: String) async throws -> [Event] {
        try await readEvents(domain: Identifier(domain, field: "domain"), cpid: Identifier(cpid, field: "cpid"))
    }

    /// Associates an event with an external id. Returns false when the association exists.
    ///
    /// - Throws: ``EventflowDBError/Code/eventEidPersist`` for an unknown event.
    @discardableResult
    public func persistEventEid(eventID: String, eid: String) async throws -> Bool {
        try await persistEventEid(eventID: Identifier(eventID, field: "eventID"), eid: Identifier(eid, field: "eid"))
    }

    /// Removes an association. Returns whether it existed.
    @discardableResult
    public func deleteEventEid(eventID: String, eid: String) async throws -> Bool {
        try await deleteEventEid(eventID: Identifier(eventID, field: "eventID"), eid: Identifier(eid, field: "eid"))
    }

    /// The external ids an event is associated with.
    public func readEventEids(eventID: String) async throws -> [String] {
        try await readEventEids(eventID: Identifier(eventID, field: "eventID"))
    }

    /// The events associated with an external id.
    public func readEvents(eid: String) async throws -> [Event] {
        try await readEvents(eid: Identifier(eid, field: "eid"))
    }

    /// The events of a domain (the event's own) associated with an external id.
    public func readEvents(domain: String, eid: String) async throws -> [Event] {
        try await readEvents(domain: Identifier(domain, field: "domain"), eid: Identifier(eid, field: "eid"))
    }
}

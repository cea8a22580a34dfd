public import Foundation

/// Events, their event logs (by domain and process id), and their cpid and eid associations.
///
/// Reads of several events return them oldest first; events with equal timestamps keep the order
/// in which they were persisted.
///
/// Callers use the methods of the extension: one per operation, taking plain values, checking
/// them once and forwarding. A backend implements the eight requirements, which take checked
/// values (``Identifier``, ``Validated``, ``EventQuery``) and carry names of their own (`insert`,
/// `fetch`, `remove`), so no backend checks input again and no user method is overloaded.
public protocol EventRepository: Sendable {
    /// Stores checked events, all or nothing, stamped with the current time (an event keeps its
    /// own id, or gets a generated one), and returns their ids in order; `[]` for none.
    ///
    /// Errors are ``EventflowDBError/Code/eventPersist``: a duplicate id has
    /// ``EventflowDBError/isDuplicate``, an unknown `rid` (not in the store nor earlier in the
    /// batch) ``EventflowDBError/isForeignKeyViolation``.
    func insertEvents(_ events: [Validated<NewEvent>]) async throws -> [String]
    /// The events `query` selects, in its order; failures use the query's
    /// ``EventQuery/failureCode``.
    func fetchEvents(_ query: EventQuery) async throws -> [Event]
    /// The process ids with events in a domain, ascending.
    func fetchDistinctPids(domain: Identifier) async throws -> [String]
    /// Deletes the selected events with their cpid, eid, published and scheduled rows; events
    /// that refer to them keep existing with `rid` nil. Returns whether any existed.
    func removeEvents(_ selection: EventSelection) async throws -> Bool
    /// Stores an association; false when it exists. An unknown event is an error with the
    /// association's ``EventAssociation/persistCode``.
    func insertAssociation(_ association: EventAssociation) async throws -> Bool
    /// Removes an association; false when it did not exist.
    func removeAssociation(_ association: EventAssociation) async throws -> Bool
    /// The child processes an event is associated with, by domain then cpid.
    func fetchCpids(eventID: Identifier) async throws -> [EventCpid]
    /// The external ids an event is associated with, ascending.
    func fetchEids(eventID: Identifier) async throws -> [String]
}

extension EventRepository {
    /// Stores an event and returns its id (the given one, or a generated one).
    ///
    /// - Throws: ``EventflowDBError/Code/eventPersist`` (a duplicate id has
    ///   ``EventflowDBError/isDuplicate``; an unknown `rid` ``EventflowDBError/isForeignKeyViolation``),
    ///   ``EventflowDBError/Code/invalidInput``.
    @discardableResult
    public func persistEvent(_ event: NewEvent) async throws -> String {
        try await insertEvents([Validated(event)])[0]
    }

    /// Stores several events at once, all or nothing, and returns their ids in order. Faster than
    /// one call each: one transaction, and few statements.
    ///
    /// - Throws: like ``persistEvent(_:)``; when it throws, none of the events is stored.
    @discardableResult
    public func persistEvents(_ events: [NewEvent]) async throws -> [String] {
        try await insertEvents(events.map(Validated.init))
    }

    /// The event with that id.
    ///
    /// - Throws: ``EventflowDBError/Code/eventNotFound`` when there is none.
    public func readEvent(id: String) async throws -> Event {
        guard let event = try await fetchEvents(.id(Identifier(id, field: "id"))).first else {
            throw EventflowDBError(.eventNotFound, "event not found by id")
        }
        return event
    }

    /// The event log of a process.
    public func readEvents(domain: String, pid: String) async throws -> [Event] {
        try await fetchEvents(.log(domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid")))
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
        return try await fetchEvents(
            .logBetween(domain: domain, pid: pid, from: from.truncatedToMilliseconds, to: to.truncatedToMilliseconds))
    }

    /// The events of a process with one of the given names; `[]` for an empty list.
    public func readEvents(domain: String, pid: String, names: [String]) async throws -> [Event] {
        let (domain, pid) = (try Identifier(domain, field: "domain"), try Identifier(pid, field: "pid"))
        let names = try Identifier.list(names, field: "names")
        return names.isEmpty ? [] : try await fetchEvents(.logNamed(domain: domain, pid: pid, names: names))
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
        try await fetchEvents(.domain(Identifier(domain, field: "domain"), after: Page(after: position, limit: limit)))
    }

    /// A page of a process's event log: the events after `cursor` (from the start when nil), in
    /// log order, at most `limit` (1–10,000). The next page starts after the last event's
    /// ``Event/cursor``. ``eventLog(domain:pid:from:to:names:pageSize:)`` iterates them for you.
    public func readEvents(domain: String, pid: String, after cursor: EventCursor?, limit: Int) async throws -> [Event]
    {
        try await fetchEvents(
            .logPage(
                domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid"),
                page: LogPage(after: cursor, limit: limit)))
    }

    /// A process's event log as an asynchronous sequence, read `pageSize` events at a time: a
    /// log of any length streams in bounded memory. Optionally only the events between two
    /// times (inclusive) or with one of some names, as the array reads
    /// ``readEvents(domain:pid:from:to:)`` and
    /// ``readEvents(domain:pid:names:)`` give them.
    ///
    /// - Throws: while iterating, ``EventflowDBError/Code/invalidInput`` for a bad domain, pid,
    ///   time, name or page size, and the read's errors.
    public func eventLog(
        domain: String, pid: String, from: Date? = nil, to: Date? = nil, names: [String]? = nil, pageSize: Int = 1_000
    ) -> PagedEvents {
        PagedEvents { last in
            if names?.isEmpty == true { return [] }
            return try await fetchEvents(
                .logPage(
                    domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid"),
                    page: LogPage(
                        after: last?.cursor, limit: pageSize, from: from, to: to, names: names,
                        limitField: "pageSize")))
        }
    }

    /// A domain's events in the order they were stored, after `position` (0 from the start),
    /// as an asynchronous sequence read `pageSize` events at a time: the catch-up read of
    /// ``readEvents(domain:after:limit:)`` without the loop.
    public func events(domain: String, after position: UInt64 = 0, pageSize: Int = 1_000) -> PagedEvents {
        PagedEvents { last in
            try Validator.limit(pageSize, field: "pageSize")
            return try await readEvents(domain: domain, after: last?.position ?? position, limit: pageSize)
        }
    }

    /// The events associated with a child process, as ``readEvents(domain:cpid:)``
    /// gives them, read `pageSize` at a time.
    public func events(domain: String, cpid: String, pageSize: Int = 1_000) -> PagedEvents {
        PagedEvents { last in
            try await fetchEvents(
                .cpid(
                    domain: Identifier(domain, field: "domain"), cpid: Identifier(cpid, field: "cpid"),
                    page: LogPage(after: last?.cursor, limit: pageSize, limitField: "pageSize")))
        }
    }

    /// The events associated with an external id (of one domain when given), as
    /// ``readEvents(eid:)`` and ``readEvents(domain:eid:)`` give them,
    /// read `pageSize` at a time.
    public func events(eid: String, domain: String? = nil, pageSize: Int = 1_000) -> PagedEvents {
        PagedEvents { last in
            try await fetchEvents(
                .eid(
                    Identifier(eid, field: "eid"), domain: Identifier.optional(domain, field: "domain"),
                    page: LogPage(after: last?.cursor, limit: pageSize, limitField: "pageSize")))
        }
    }

    /// The process ids that have events in a domain, ascending.
    public func readDistinctPids(domain: String) async throws -> [String] {
        try await fetchDistinctPids(domain: Identifier(domain, field: "domain"))
    }

    /// Deletes an event with its cpid, eid, published and scheduled rows. Events that refer to it
    /// keep existing with `rid` nil. Returns whether it existed.
    @discardableResult
    public func deleteEvent(id: String) async throws -> Bool {
        try await removeEvents(.id(Identifier(id, field: "id")))
    }

    /// Deletes the whole event log of a process. Returns whether anything was deleted.
    @discardableResult
    public func deleteEvents(domain: String, pid: String) async throws -> Bool {
        try await removeEvents(.log(domain: Identifier(domain, field: "domain"), pid: Identifier(pid, field: "pid")))
    }

    /// Associates an event with a child process. Returns false when the association exists.
    ///
    /// - Throws: ``EventflowDBError/Code/eventCpidPersist`` for an unknown event.
    @discardableResult
    public func persistEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try await insertAssociation(
            .cpid(
                eventID: Identifier(eventID, field: "eventID"), domain: Identifier(domain, field: "domain"),
                cpid: Identifier(cpid, field: "cpid")))
    }

    /// Removes an association. Returns whether it existed.
    @discardableResult
    public func deleteEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try await removeAssociation(
            .cpid(
                eventID: Identifier(eventID, field: "eventID"), domain: Identifier(domain, field: "domain"),
                cpid: Identifier(cpid, field: "cpid")))
    }

    /// The child processes an event is associated with.
    public func readEventCpids(eventID: String) async throws -> [EventCpid] {
        try await fetchCpids(eventID: Identifier(eventID, field: "eventID"))
    }

    /// The events associated with a child process, by the association's domain (the child's).
    public func readEvents(domain: String, cpid: String) async throws -> [Event] {
        try await fetchEvents(
            .cpid(domain: Identifier(domain, field: "domain"), cpid: Identifier(cpid, field: "cpid"), page: nil))
    }

    /// Associates an event with an external id. Returns false when the association exists.
    ///
    /// - Throws: ``EventflowDBError/Code/eventEidPersist`` for an unknown event.
    @discardableResult
    public func persistEventEid(eventID: String, eid: String) async throws -> Bool {
        try await insertAssociation(
            .eid(eventID: Identifier(eventID, field: "eventID"), eid: Identifier(eid, field: "eid")))
    }

    /// Removes an association. Returns whether it existed.
    @discardableResult
    public func deleteEventEid(eventID: String, eid: String) async throws -> Bool {
        try await removeAssociation(
            .eid(eventID: Identifier(eventID, field: "eventID"), eid: Identifier(eid, field: "eid")))
    }

    /// The external ids an event is associated with.
    public func readEventEids(eventID: String) async throws -> [String] {
        try await fetchEids(eventID: Identifier(eventID, field: "eventID"))
    }

    /// The events associated with an external id.
    public func readEvents(eid: String) async throws -> [Event] {
        try await fetchEvents(.eid(Identifier(eid, field: "eid"), domain: nil, page: nil))
    }

    /// The events of a domain (the event's own) associated with an external id.
    public func readEvents(domain: String, eid: String) async throws -> [Event] {
        try await fetchEvents(
            .eid(Identifier(eid, field: "eid"), domain: Identifier(domain, field: "domain"), page: nil))
    }
}

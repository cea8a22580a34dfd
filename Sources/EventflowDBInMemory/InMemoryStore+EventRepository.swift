public import EventflowDB
public import Foundation

/// ``/EventflowDB/EventRepository`` in memory, with the MariaDB implementation's behaviour and errors.
extension InMemoryStore: EventRepository {
    public func persistEvent(_ new: Validated<NewEvent>) throws -> String {
        try ensureOpen(.eventPersist)
        let event = new.input.stored(at: clock.now())
        guard events[event.id] == nil else {
            throw EventflowDBError.duplicate(.eventPersist, "could not persist event: the id exists", key: "PRIMARY")
        }
        if let rid = event.rid, events[rid] == nil {
            throw EventflowDBError.foreignKey(
                .eventPersist, "could not persist event: rid refers to no event", column: "rid")
        }
        insert(event)
        return event.id
    }

    /// Checks the whole batch (against the store and the batch's earlier events) before writing any.
    public func persistEvents(_ batch: [Validated<NewEvent>]) throws -> [String] {
        try ensureOpen(.eventPersist)
        let now = clock.now()
        let prepared = batch.map { $0.input.stored(at: now) }
        var seen = Set<String>()
        for event in prepared {
            guard events[event.id] == nil, seen.insert(event.id).inserted else {
                throw EventflowDBError.duplicate(
                    .eventPersist, "could not persist events: an id exists", key: "PRIMARY")
            }
            if let rid = event.rid, events[rid] == nil, !seen.contains(rid) {
                throw EventflowDBError.foreignKey(
                    .eventPersist, "could not persist events: rid refers to no event", column: "rid")
            }
        }
        prepared.forEach(insert)
        return prepared.map(\.id)
    }

    /// Stores a checked event, with the next insertion counter.
    func insert(_ event: Event) {
        var event = event
        event.position = nextSeq
        events[event.id] = StoredEvent(event: event, seq: nextSeq)
        nextSeq += 1
        eventLogs[Self.logKey(event.domain, event.pid), default: []].append(event.id)
    }

    public func readEvent(id: Identifier) throws -> Event {
        try ensureOpen(.eventRead)
        guard let stored = events[id.value] else { throw EventflowDBError(.eventNotFound, "event not found by id") }
        return stored.event
    }

    public func readEvents(domain: Identifier, pid: Identifier) throws -> [Event] {
        try readEvents(domain, pid) { _ in true }
    }

    public func readEvents(domain: Identifier, pid: Identifier, from: Date, to: Date) throws -> [Event] {
        try readEvents(domain, pid) { $0.timestamp >= from && $0.timestamp <= to }
    }

    public func readEvents(domain: Identifier, pid: Identifier, names: [Identifier]) throws -> [Event] {
        let wanted = Set(names.map(\.value))
        return try readEvents(domain, pid) { wanted.contains($0.name) }
    }

    private func readEvents(_ domain: Identifier, _ pid: Identifier, where include: (Event) -> Bool) throws -> [Event] {
        try ensureOpen(.eventReadByPid)
        return ordered(eventLogs[Self.logKey(domain.value, pid.value)] ?? []).filter(include)
    }

    public func readEvents(domain: Identifier, pid: Identifier, page: LogPage) throws -> [Event] {
        page.select(from: try readEvents(domain, pid) { _ in true })
    }

    public func readEvents(domain: Identifier, cpid: Identifier, page: LogPage) throws -> [Event] {
        page.select(from: try readEvents(domain: domain, cpid: cpid))
    }

    public func readEvents(eid: Identifier, domain: Identifier?, page: LogPage) throws -> [Event] {
        let events = try domain.map { try readEvents(domain: $0, eid: eid) } ?? readEvents(eid: eid)
        return page.select(from: events)
    }

    public func readEvents(domain: Identifier, after page: Page) throws -> [Event] {
        try ensureOpen(.eventRead)
        return events.values.filter { $0.event.domain == domain.value && $0.seq > page.after }
            .sorted { $0.seq < $1.seq }.prefix(page.limit).map(\.event)
    }

    public func readDistinctPids(domain: Identifier) throws -> [String] {
        try ensureOpen(.eventReadDistinctPidByDomain)
        return eventLogs.compactMap { key, ids in
            ids.isEmpty || key.domain != domain.value ? nil : key.pid
        }.sorted()
    }

    /// Deletes events and everything that cascades from them.
    private func removeEvents(_ ids: Set<String>) {
        for id in ids {
            guard let stored = events.removeValue(forKey: id) else { continue }
            let key = Self.logKey(stored.event.domain, stored.event.pid)
            eventLogs[key]?.removeAll { $0 == id }
            if eventLogs[key]?.isEmpty == true { eventLogs[key] = nil }
            published[id] = nil
            scheduled[id] = nil
        }
        cpids = cpids.filter { !ids.contains($0.eventID) }
        eids = eids.filter { !ids.contains($0.eventID) }
        for (id, stored) in events where stored.event.rid.map(ids.contains) == true {
            events[id]?.event.rid = nil
        }
    }

    public func deleteEvent(id: Identifier) throws -> Bool {
        try ensureOpen(.eventDelete)
        guard events[id.value] != nil else { return false }
        removeEvents([id.value])
        return true
    }

    public func deleteEvents(domain: Identifier, pid: Identifier) throws -> Bool {
        try ensureOpen(.eventDeleteByPid)
        let ids = Set(eventLogs[Self.logKey(domain.value, pid.value)] ?? [])
        removeEvents(ids)
        return !ids.isEmpty
    }

    public func persistEventCpid(eventID: Identifier, domain: Identifier, cpid: Identifier) throws -> Bool {
        let key = CpidKey(eventID: eventID.value, domain: domain.value, cpid: cpid.value)
        return try insert(key, of: key.eventID, into: &cpids, .eventCpidPersist, "cpid")
    }

    public func deleteEventCpid(eventID: Identifier, domain: Identifier, cpid: Identifier) throws -> Bool {
        try ensureOpen(.eventCpidDelete)
        return cpids.remove(CpidKey(eventID: eventID.value, domain: domain.value, cpid: cpid.value)) != nil
    }

    public func readEventCpids(eventID: Identifier) throws -> [EventCpid] {
        try ensureOpen(.eventCpidReadByEventID)
        return cpids.filter { $0.eventID == eventID.value }
            .map { EventCpid(domain: $0.domain, cpid: $0.cpid) }
            .sorted { ($0.domain, $0.cpid) < ($1.domain, $1.cpid) }
    }

    public func readEvents(domain: Identifier, cpid: Identifier) throws -> [Event] {
        try ensureOpen(.eventByDomainAndCpidRead)
        return ordered(Set(cpids.filter { $0.domain == domain.value && $0.cpid == cpid.value }.map(\.eventID)))
    }

    public func persistEventEid(eventID: Identifier, eid: Identifier) throws -> Bool {
        try insert(
            EidKey(eventID: eventID.value, eid: eid.value), of: eventID.value, into: &eids, .eventEidPersist, "eid")
    }

    /// Adds an association of an existing event; false when it exists (also for
    /// ``publish(_:)-(Validated<Publication>)``).
    func insert<Key: Hashable>(
        _ key: Key, of eventID: String, into associations: inout Set<Key>, _ code: EventflowDBError.Code,
        _ kind: String
    ) throws -> Bool {
        try ensureOpen(code)
        if associations.contains(key) { return false }
        try requireEvent(eventID, code, "could not persist the \(kind) association: no such event")
        associations.insert(key)
        return true
    }

    public func deleteEventEid(eventID: Identifier, eid: Identifier) throws -> Bool {
        try ensureOpen(.eventEidDelete)
        return eids.remove(EidKey(eventID: eventID.value, eid: eid.value)) != nil
    }

    public func readEventEids(eventID: Identifier) throws -> [String] {
        try ensureOpen(.eventEidReadByEventID)
        return eids.filter { $0.eventID == eventID.value }.map(\.eid).sorted()
    }

    public func readEvents(eid: Identifier) throws -> [Event] {
        try ensureOpen(.eventsReadByEid)
        return events(withEid: eid)
    }

    public func readEvents(domain: Identifier, eid: Identifier) throws -> [Event] {
        try ensureOpen(.eventsReadByDomainAndEid)
        return events(withEid: eid).filter { $0.domain == domain.value }
    }

    private func events(withEid eid: Identifier) -> [Event] {
        ordered(Set(eids.filter { $0.eid == eid.value }.map(\.eventID)))
    }
}

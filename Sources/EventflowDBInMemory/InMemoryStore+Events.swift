import EventflowDB
import Foundation

extension InMemoryStore {
    func persistEvent(_ new: NewEvent) throws -> String {
        try ensureOpen(.eventPersist)
        let event = new.stored(at: clock.now())
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
    func persistEvents(_ batch: [NewEvent]) throws -> [String] {
        try ensureOpen(.eventPersist)
        let now = clock.now()
        let prepared = batch.map { $0.stored(at: now) }
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
        events[event.id] = StoredEvent(event: event, seq: nextSeq)
        nextSeq += 1
        eventLogs[Self.logKey(event.domain, event.pid), default: []].append(event.id)
    }

    func readEvent(id: String) throws -> Event {
        try ensureOpen(.eventRead)
        guard let stored = events[id] else { throw EventflowDBError(.eventNotFound, "event not found by id") }
        return stored.event
    }

    func readEvents(domain: String, pid: String, where include: (Event) -> Bool = { _ in true }) throws -> [Event] {
        try ensureOpen(.eventReadByPid)
        return ordered(eventLogs[Self.logKey(domain, pid)] ?? []).filter(include)
    }

    func readDistinctPids(domain: String) throws -> [String] {
        try ensureOpen(.eventReadDistinctPidByDomain)
        return eventLogs.compactMap { key, ids in
            ids.isEmpty || key.domain != domain ? nil : key.pid
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

    func deleteEvent(id: String) throws -> Bool {
        try ensureOpen(.eventDelete)
        guard events[id] != nil else { return false }
        removeEvents([id])
        return true
    }

    func deleteEvents(domain: String, pid: String) throws -> Bool {
        try ensureOpen(.eventDeleteByPid)
        let ids = Set(eventLogs[Self.logKey(domain, pid)] ?? [])
        removeEvents(ids)
        return !ids.isEmpty
    }

    func persistEventCpid(eventID: String, domain: String, cpid: String) throws -> Bool {
        try ensureOpen(.eventCpidPersist)
        let key = CpidKey(eventID: eventID, domain: domain, cpid: cpid)
        if cpids.contains(key) { return false }
        guard events[eventID] != nil else {
            throw EventflowDBError.foreignKey(
                .eventCpidPersist, "could not persist the cpid association: no such event", column: "event_id")
        }
        cpids.insert(key)
        return true
    }

    func deleteEventCpid(eventID: String, domain: String, cpid: String) throws -> Bool {
        try ensureOpen(.eventCpidDelete)
        return cpids.remove(CpidKey(eventID: eventID, domain: domain, cpid: cpid)) != nil
    }

    func readEventCpids(eventID: String) throws -> [EventCpid] {
        try ensureOpen(.eventCpidReadByEventID)
        return cpids.filter { $0.eventID == eventID }
            .map { EventCpid(domain: $0.domain, cpid: $0.cpid) }
            .sorted { ($0.domain, $0.cpid) < ($1.domain, $1.cpid) }
    }

    func readEvents(domain: String, cpid: String) throws -> [Event] {
        try ensureOpen(.eventByDomainAndCpidRead)
        return ordered(Set(cpids.filter { $0.domain == domain && $0.cpid == cpid }.map(\.eventID)))
    }

    func persistEventEid(eventID: String, eid: String) throws -> Bool {
        try ensureOpen(.eventEidPersist)
        let key = EidKey(eventID: eventID, eid: eid)
        if eids.contains(key) { return false }
        guard events[eventID] != nil else {
            throw EventflowDBError.foreignKey(
                .eventEidPersist, "could not persist the eid association: no such event", column: "event_id")
        }
        eids.insert(key)
        return true
    }

    func deleteEventEid(eventID: String, eid: String) throws -> Bool {
        try ensureOpen(.eventEidDelete)
        return eids.remove(EidKey(eventID: eventID, eid: eid)) != nil
    }

    func readEventEids(eventID: String) throws -> [String] {
        try ensureOpen(.eventEidReadByEventID)
        return eids.filter { $0.eventID == eventID }.map(\.eid).sorted()
    }

    func readEvents(eid: String, domain: String?) throws -> [Event] {
        try ensureOpen(domain == nil ? .eventsReadByEid : .eventsReadByDomainAndEid)
        let ids = Set(eids.filter { $0.eid == eid }.map(\.eventID))
        return ordered(ids).filter { domain == nil || $0.domain == domain }
    }
}

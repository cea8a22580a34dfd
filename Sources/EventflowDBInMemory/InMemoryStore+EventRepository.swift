public import EventflowDB
import Foundation

/// ``/EventflowDB/EventRepository`` in memory, with the MariaDB implementation's behaviour and errors.
extension InMemoryStore: EventRepository {
    /// Checks the whole batch (against the store and the batch's earlier events) before writing
    /// any. A batch stored before exactly as given (a retry) is answered as stored, once.
    public func insertEvents(_ batch: [Validated<NewEvent>]) throws -> [String] {
        try ensureOpen(.eventPersist)
        let now = clock.now()
        let prepared = batch.map { $0.input.stored(at: now) }
        let ids = prepared.map(\.id)
        do {
            try insertChecked(prepared, count: batch.count)
        } catch var error as EventflowDBError {
            if error.isDuplicate, storedAsGiven(zip(prepared, batch.map { $0.input.timestamp != nil })) { return ids }
            error.eventIDs = ids
            throw error
        }
        return ids
    }

    /// Whether every event is stored with the content given (the timestamp only where given).
    func storedAsGiven(_ events: some Sequence<(Event, Bool)>) -> Bool {
        events.allSatisfy { event, timestampGiven in
            guard var stored = self.events[event.id]?.event else { return false }
            stored.position = nil
            if !timestampGiven { stored.timestamp = event.timestamp }
            return stored == event
        }
    }

    private func insertChecked(_ prepared: [Event], count: Int) throws {
        let what = count == 1 ? "event" : "events"
        var seen = Set<String>()
        for event in prepared {
            guard events[event.id] == nil, seen.insert(event.id).inserted else {
                throw EventflowDBError.duplicate(
                    .eventPersist, "could not persist \(what): an id exists", key: "PRIMARY")
            }
            if let rid = event.rid, events[rid] == nil, !seen.contains(rid) {
                throw EventflowDBError.foreignKey(
                    .eventPersist, "could not persist \(what): rid refers to no event", column: "rid")
            }
        }
        prepared.forEach(insert)
    }

    /// Stores a checked event, with the next insertion counter.
    func insert(_ event: Event) {
        var event = event
        event.position = nextSeq
        events[event.id] = StoredEvent(event: event, seq: nextSeq)
        nextSeq += 1
        eventLogs[Self.logKey(event.domain, event.pid), default: []].append(event.id)
    }

    public func fetchEvents(_ query: EventQuery) throws -> [Event] {
        try ensureOpen(query.failureCode)
        switch query {
        case .id(let id):
            return events[id.value].map { [$0.event] } ?? []
        case .log(let domain, let pid):
            return log(domain, pid)
        case .logBetween(let domain, let pid, let from, let to):
            return log(domain, pid).filter { $0.timestamp >= from && $0.timestamp <= to }
        case .logNamed(let domain, let pid, let names):
            let wanted = Set(names.map(\.value))
            return log(domain, pid).filter { wanted.contains($0.name) }
        case .logPage(let domain, let pid, let page):
            return page.select(from: log(domain, pid))
        case .cpid(let domain, let cpid, let page):
            let found = ordered(Set(cpids.filter { $0.domain == domain.value && $0.cpid == cpid.value }.map(\.eventID)))
            return page.map { $0.select(from: found) } ?? found
        case .eid(let eid, let domain, let page):
            let found = ordered(Set(eids.filter { $0.eid == eid.value }.map(\.eventID)))
                .filter { event in domain.map { event.domain == $0.value } ?? true }
            return page.map { $0.select(from: found) } ?? found
        case .domain(let domain, let page):
            return events.values.filter { $0.event.domain == domain.value && $0.seq > page.after }
                .sorted { $0.seq < $1.seq }.prefix(page.limit).map(\.event)
        }
    }

    /// The event log of a process, in log order.
    private func log(_ domain: Identifier, _ pid: Identifier) -> [Event] {
        ordered(eventLogs[Self.logKey(domain.value, pid.value)] ?? [])
    }

    public func fetchDistinctPids(domain: Identifier) throws -> [String] {
        try ensureOpen(.eventReadDistinctPidByDomain)
        return eventLogs.compactMap { key, ids in
            ids.isEmpty || key.domain != domain.value ? nil : key.pid
        }.sorted()
    }

    /// Deletes events and everything that cascades from them.
    private func cascadeDelete(_ ids: Set<String>) {
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

    public func removeEvents(_ selection: EventSelection) throws -> Bool {
        try ensureOpen(selection.failureCode)
        let ids: Set<String>
        switch selection {
        case .id(let id): ids = events[id.value] == nil ? [] : [id.value]
        case .log(let domain, let pid): ids = Set(eventLogs[Self.logKey(domain.value, pid.value)] ?? [])
        }
        cascadeDelete(ids)
        return !ids.isEmpty
    }

    public func insertAssociation(_ association: EventAssociation) throws -> Bool {
        switch association {
        case .cpid(let eventID, let domain, let cpid):
            let key = CpidKey(eventID: eventID.value, domain: domain.value, cpid: cpid.value)
            return try insert(key, of: key.eventID, into: &cpids, association.persistCode, "cpid")
        case .eid(let eventID, let eid):
            return try insert(
                EidKey(eventID: eventID.value, eid: eid.value), of: eventID.value, into: &eids, association.persistCode,
                "eid")
        }
    }

    /// Adds an association of an existing event; false when it exists (also for
    /// ``publish(_:)``).
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

    public func removeAssociation(_ association: EventAssociation) throws -> Bool {
        try ensureOpen(association.deleteCode)
        switch association {
        case .cpid(let eventID, let domain, let cpid):
            return cpids.remove(CpidKey(eventID: eventID.value, domain: domain.value, cpid: cpid.value)) != nil
        case .eid(let eventID, let eid):
            return eids.remove(EidKey(eventID: eventID.value, eid: eid.value)) != nil
        }
    }

    public func fetchCpids(eventID: Identifier) throws -> [EventCpid] {
        try ensureOpen(.eventCpidReadByEventID)
        return cpids.filter { $0.eventID == eventID.value }
            .map { EventCpid(domain: $0.domain, cpid: $0.cpid) }
            .sorted { ($0.domain, $0.cpid) < ($1.domain, $1.cpid) }
    }

    public func fetchEids(eventID: Identifier) throws -> [String] {
        try ensureOpen(.eventEidReadByEventID)
        return eids.filter { $0.eventID == eventID.value }.map(\.eid).sorted()
    }
}

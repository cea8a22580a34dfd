public import EventflowDB
public import Foundation

/// ``EventRepository`` in memory, with the MariaDB implementation's behaviour and errors.
public struct InMemoryEventRepository: EventRepository {
    public let store: InMemoryStore

    /// A repository over `store` (a new, empty one by default).
    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    @discardableResult
    public func persistEvent(_ event: NewEvent) async throws -> String {
        try Validator.validateWithoutText(event)
        return try await store.persistEvent(event)
    }

    @discardableResult
    public func persistEvents(_ events: [NewEvent]) async throws -> [String] {
        for event in events { try Validator.validateWithoutText(event) }
        return try await store.persistEvents(events)
    }

    public func readEvent(id: String) async throws -> Event {
        try Validator.identifier(id, field: "id")
        return try await store.readEvent(id: id)
    }

    public func readEvents(domain: String, pid: String) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        return try await store.readEvents(domain: domain, pid: pid)
    }

    public func readEvents(domain: String, pid: String, from: Date, to: Date) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        // Bounds at the millisecond precision of the timestamp column, as the server compares them.
        let (from, to) = (from.truncatedToMilliseconds, to.truncatedToMilliseconds)
        return try await store.readEvents(domain: domain, pid: pid) { $0.timestamp >= from && $0.timestamp <= to }
    }

    public func readEvents(domain: String, pid: String, names: [String]) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        for name in names { try Validator.identifier(name, field: "names") }
        if names.isEmpty { return [] }
        let wanted = Set(names)
        return try await store.readEvents(domain: domain, pid: pid) { wanted.contains($0.name) }
    }

    public func readDistinctPids(domain: String) async throws -> [String] {
        try Validator.identifier(domain, field: "domain")
        return try await store.readDistinctPids(domain: domain)
    }

    @discardableResult
    public func deleteEvent(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        return try await store.deleteEvent(id: id)
    }

    @discardableResult
    public func deleteEvents(domain: String, pid: String) async throws -> Bool {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(pid, field: "pid")
        return try await store.deleteEvents(domain: domain, pid: pid)
    }

    @discardableResult
    public func persistEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(cpid, field: "cpid")
        return try await store.persistEventCpid(eventID: eventID, domain: domain, cpid: cpid)
    }

    @discardableResult
    public func deleteEventCpid(eventID: String, domain: String, cpid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(cpid, field: "cpid")
        return try await store.deleteEventCpid(eventID: eventID, domain: domain, cpid: cpid)
    }

    public func readEventCpids(eventID: String) async throws -> [EventCpid] {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.readEventCpids(eventID: eventID)
    }

    public func readEvents(domain: String, cpid: String) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(cpid, field: "cpid")
        return try await store.readEvents(domain: domain, cpid: cpid)
    }

    @discardableResult
    public func persistEventEid(eventID: String, eid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(eid, field: "eid")
        return try await store.persistEventEid(eventID: eventID, eid: eid)
    }

    @discardableResult
    public func deleteEventEid(eventID: String, eid: String) async throws -> Bool {
        try Validator.identifier(eventID, field: "eventID")
        try Validator.identifier(eid, field: "eid")
        return try await store.deleteEventEid(eventID: eventID, eid: eid)
    }

    public func readEventEids(eventID: String) async throws -> [String] {
        try Validator.identifier(eventID, field: "eventID")
        return try await store.readEventEids(eventID: eventID)
    }

    public func readEvents(eid: String) async throws -> [Event] {
        try Validator.identifier(eid, field: "eid")
        return try await store.readEvents(eid: eid, domain: nil)
    }

    public func readEvents(domain: String, eid: String) async throws -> [Event] {
        try Validator.identifier(domain, field: "domain")
        try Validator.identifier(eid, field: "eid")
        return try await store.readEvents(eid: eid, domain: domain)
    }
}

public import EventflowDB
public import Foundation

/// ``EventRepository`` in memory, with the MariaDB implementation's behaviour and errors.
extension InMemoryRepository: EventRepository {
    @discardableResult
    public func persistEvent(_ event: Validated<NewEvent>) async throws -> String {
        try await store.persistEvent(event.input)
    }

    @discardableResult
    public func persistEvents(_ events: [Validated<NewEvent>]) async throws -> [String] {
        try await store.persistEvents(events.map(\.input))
    }

    public func readEvent(id: Identifier) async throws -> Event {
        try await store.readEvent(id: id.value)
    }

    public func readEvents(domain: Identifier, pid: Identifier) async throws -> [Event] {
        try await store.readEvents(domain: domain.value, pid: pid.value)
    }

    public func readEvents(domain: Identifier, pid: Identifier, from: Date, to: Date) async throws -> [Event] {
        try await store.readEvents(domain: domain.value, pid: pid.value) { $0.timestamp >= from && $0.timestamp <= to }
    }

    public func readEvents(domain: Identifier, pid: Identifier, names: [Identifier]) async throws -> [Event] {
        let wanted = Set(names.map(\.value))
        return try await store.readEvents(domain: domain.value, pid: pid.value) { wanted.contains($0.name) }
    }

    public func readDistinctPids(domain: Identifier) async throws -> [String] {
        try await store.readDistinctPids(domain: domain.value)
    }

    @discardableResult
    public func deleteEvent(id: Identifier) async throws -> Bool {
        try await store.deleteEvent(id: id.value)
    }

    @discardableResult
    public func deleteEvents(domain: Identifier, pid: Identifier) async throws -> Bool {
        try await store.deleteEvents(domain: domain.value, pid: pid.value)
    }

    @discardableResult
    public func persistEventCpid(eventID: Identifier, domain: Identifier, cpid: Identifier) async throws -> Bool {
        try await store.persistEventCpid(eventID: eventID.value, domain: domain.value, cpid: cpid.value)
    }

    @discardableResult
    public func deleteEventCpid(eventID: Identifier, domain: Identifier, cpid: Identifier) async throws -> Bool {
        try await store.deleteEventCpid(eventID: eventID.value, domain: domain.value, cpid: cpid.value)
    }

    public func readEventCpids(eventID: Identifier) async throws -> [EventCpid] {
        try await store.readEventCpids(eventID: eventID.value)
    }

    public func readEvents(domain: Identifier, cpid: Identifier) async throws -> [Event] {
        try await store.readEvents(domain: domain.value, cpid: cpid.value)
    }

    @discardableResult
    public func persistEventEid(eventID: Identifier, eid: Identifier) async throws -> Bool {
        try await store.persistEventEid(eventID: eventID.value, eid: eid.value)
    }

    @discardableResult
    public func deleteEventEid(eventID: Identifier, eid: Identifier) async throws -> Bool {
        try await store.deleteEventEid(eventID: eventID.value, eid: eid.value)
    }

    public func readEventEids(eventID: Identifier) async throws -> [String] {
        try await store.readEventEids(eventID: eventID.value)
    }

    public func readEvents(eid: Identifier) async throws -> [Event] {
        try await store.readEvents(eid: eid.value, domain: nil)
    }

    public func readEvents(domain: Identifier, eid: Identifier) async throws -> [Event] {
        try await store.readEvents(eid: eid.value, domain: domain.value)
    }
}

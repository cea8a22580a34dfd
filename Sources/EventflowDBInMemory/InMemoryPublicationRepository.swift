public import EventflowDB
import Foundation

/// ``PublicationRepository`` in memory: every check is made before the first write, on the
/// store actor, so a failure writes nothing.
extension InMemoryRepository: PublicationRepository {
    public func publish(_ publication: Validated<Publication>) async throws -> String {
        try await store.publish(publication.input)
    }
}

extension InMemoryStore {
    func publish(_ publication: Publication) throws -> String {
        try ensureOpen(.eventPublish)
        let now = clock.now()
        let event = publication.event.stored(at: now)
        let id = event.id
        guard events[id] == nil else {
            throw EventflowDBError.duplicate(.eventPublish, "could not publish event: the id exists", key: "PRIMARY")
        }
        if let rid = event.rid, events[rid] == nil {
            throw EventflowDBError.foreignKey(
                .eventPublish, "could not publish event: rid refers to no event", column: "rid")
        }
        if let hub = publication.hub, hubs[hub] == nil {
            throw EventflowDBError.foreignKey(.eventPublish, "could not publish event: no such hub", column: "hub")
        }
        insert(event)
        for cpid in publication.cpids { _ = try persistEventCpid(eventID: id, domain: cpid.domain, cpid: cpid.cpid) }
        for eid in publication.eids { _ = try persistEventEid(eventID: id, eid: eid) }
        _ = try persistEventPublished(
            NewEventPublished(
                eventID: id, publisher: publication.publisher, consumer: publication.consumer, hub: publication.hub))
        if let scheduled = publication.scheduled {
            _ = try persistEventScheduled(NewEventScheduled(eventID: id, scheduled: scheduled))
        }
        return id
    }
}

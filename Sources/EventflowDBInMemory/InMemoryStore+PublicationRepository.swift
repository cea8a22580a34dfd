public import EventflowDB

/// ``/EventflowDB/PublicationRepository`` in memory: every check is made before the first write, on the
/// store actor, so a failure writes nothing.
extension InMemoryStore: PublicationRepository {
    /// A publication stored before exactly as given (a retry, from any process: its event with
    /// the same content, its delivery by the same publisher) is answered as stored, once. A
    /// failure carries the event's id, generated or given.
    public func insertPublication(_ checked: Validated<Publication>) throws -> String {
        try ensureOpen(.eventPublish)
        let event = checked.event.stored(at: clock.now())
        do {
            try publish(checked.input, as: event)
        } catch var error as EventflowDBError {
            if error.isDuplicate, storedAsGiven([(event, checked.event.timestamp != nil)]),
                published[event.id]?.publisher == checked.publisher
            {
                return event.id
            }
            error.eventIDs = [event.id]
            throw error
        }
        return event.id
    }

    private func publish(_ publication: Publication, as event: Event) throws {
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
        heldBySchedule.remove(id)  // a hold left by a deleted event of the same id
        for cpid in publication.cpids {
            _ = try insert(
                CpidKey(eventID: id, domain: cpid.domain, cpid: cpid.cpid), of: id, into: &cpids, .eventCpidPersist,
                "cpid")
        }
        for eid in publication.eids {
            _ = try insert(EidKey(eventID: id, eid: eid), of: id, into: &eids, .eventEidPersist, "eid")
        }
        let delivery = NewEventPublished(
            eventID: id, publisher: publication.publisher, consumer: publication.consumer, hub: publication.hub)
        _ = try insertPublished(Validated(checked: delivery))
        if let scheduled = publication.scheduled {
            _ = try insertScheduledEvent(Validated(checked: NewEventScheduled(eventID: id, scheduled: scheduled)))
        }
    }
}

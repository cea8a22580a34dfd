public import EventflowDB

/// A write the store holds open: it took its insertion counters and has not committed, as a
/// MariaDB transaction between its `INSERT` and its `COMMIT`. Made by ``InMemoryStore/openWrite(_:)``.
public struct OpenWrite: Sendable, Hashable {
    let id: UInt64
    /// The ids of the write's events, in order.
    public let eventIDs: [String]
}

extension InMemoryStore {
    /// Starts a write of `events` and holds it open: each event takes its insertion counter
    /// (``/EventflowDB/Event/position``) now and is invisible to every read until
    /// ``commit(_:)``; ``rollBack(_:)`` leaves a hole in the counter. Lets tests show what a
    /// reader sees while a slow transaction is in flight.
    ///
    /// - Throws: ``/EventflowDB/EventflowDBError/Code/invalidInput`` for a bad event,
    ///   ``/EventflowDB/EventflowDBError/Code/eventPersist`` for a closed store.
    public func openWrite(_ events: [NewEvent]) throws -> OpenWrite {
        try ensureOpen(.eventPersist)
        let checked = try events.map(Validated.init)
        let now = clock.now()
        let stored = checked.map { new -> StoredEvent in
            var event = new.input.stored(at: now)
            event.position = nextSeq
            defer { nextSeq += 1 }
            return StoredEvent(event: event, seq: nextSeq)
        }
        let write = OpenWrite(id: feed.nextOpenWrite, eventIDs: stored.map(\.event.id))
        feed.nextOpenWrite += 1
        feed.openWrites[write.id] = stored
        return write
    }

    /// Commits a write held open: its events become visible with the counters they took.
    ///
    /// - Throws: ``/EventflowDB/EventflowDBError/Code/eventPersist`` when the write is not open
    ///   or one of its ids was stored meanwhile (then nothing is stored).
    public func commit(_ write: OpenWrite) throws {
        try ensureOpen(.eventPersist)
        guard let stored = feed.openWrites.removeValue(forKey: write.id) else {
            throw EventflowDBError(.eventPersist, "the write is not open")
        }
        guard stored.allSatisfy({ events[$0.event.id] == nil }) else {
            throw EventflowDBError.duplicate(.eventPersist, "could not persist events: an id exists", key: "PRIMARY")
        }
        for row in stored {
            events[row.event.id] = row
            eventLogs[Self.logKey(row.event.domain, row.event.pid), default: []].append(row.event.id)
        }
        writeSignal.signal()
    }

    /// Rolls back a write held open: nothing of it is stored; its counters stay unused.
    public func rollBack(_ write: OpenWrite) {
        feed.openWrites[write.id] = nil
    }
}

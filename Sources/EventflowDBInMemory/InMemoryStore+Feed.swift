import EventflowDB

extension InMemoryStore {
    /// What the in-memory feed keeps beside the events: the follow positions granted, the
    /// consumers' positions, and the writes held open.
    struct Feed {
        /// A granted follow position: the event's id and insertion counter (an event deleted
        /// and stored again under its id has another counter, so the old grant is not its).
        struct Grant {
            var position: UInt64
            var id: String
            var seq: UInt64
        }
        struct ConsumerKey: Hashable, Comparable {
            var name: String
            var domain: String
            static func < (lhs: Self, rhs: Self) -> Bool { (lhs.name, lhs.domain) < (rhs.name, rhs.domain) }
        }

        /// The insertion counters that have a follow position.
        var granted: Set<UInt64> = []
        /// Each domain's grants, ascending by position (positions only grow, so appending keeps it sorted).
        var grants: [String: [Grant]] = [:]
        var nextPosition: UInt64 = 1
        var consumers: [ConsumerKey: UInt64] = [:]
        /// Writes held open: their events, with the insertion counters they took.
        var openWrites: [UInt64: [StoredEvent]] = [:]
        var nextOpenWrite: UInt64 = 1
    }

    /// The sequencing step: grants the next follow positions to the stored events without one,
    /// in insertion order. Events of writes held open are not stored yet, so they wait for a
    /// later step and get a position above every one granted before.
    func grantFollowPositions() {
        let pending = events.values.filter { !feed.granted.contains($0.seq) }.sorted { $0.seq < $1.seq }
        for stored in pending {
            feed.granted.insert(stored.seq)
            feed.grants[stored.event.domain, default: []].append(
                Feed.Grant(position: feed.nextPosition, id: stored.event.id, seq: stored.seq))
            feed.nextPosition += 1
        }
    }

    /// The grant of a stored event, nil once the event is deleted.
    func isLive(_ grant: Feed.Grant) -> Bool { events[grant.id]?.seq == grant.seq }

    /// The index of the first grant of `grants` above `position`.
    static func firstIndex(after position: UInt64, in grants: [Feed.Grant]) -> Int {
        var (low, high) = (0, grants.count)
        while low < high {
            let middle = (low + high) / 2
            if grants[middle].position <= position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// How many events of `domain` a consumer at `position` has not handled: the live grants
    /// above it and the stored events not granted yet.
    func behind(domain: String, position: UInt64) -> Int {
        let grants = feed.grants[domain] ?? []
        let after = grants[Self.firstIndex(after: position, in: grants)...].filter(isLive).count
        let ungranted = events.values.filter { $0.event.domain == domain && !feed.granted.contains($0.seq) }.count
        return after + ungranted
    }
}

import EventflowDB

/// Events whose write ended with an unknown outcome in this process, by id, as they were sent.
///
/// When a caller retries the same event (same id and content; the timestamp may be left out
/// again), the retry reuses the row that was sent (with its timestamp) and starts by reading
/// back, so it succeeds whether or not the lost attempt committed, instead of failing as a
/// duplicate of itself.
final class UnsettledEvents: Sendable {
    private let rows = LockedState<[String: MariaDBRepository.Row]>([:])

    /// The rows to write for `events`: those sent before by a call whose outcome stayed unknown
    /// (taken out of the registry) in place of the new ones when they describe the same event.
    /// Returns whether any was taken.
    func settle(
        _ fresh: [MariaDBRepository.Row], from events: [NewEvent]
    ) -> (rows: [MariaDBRepository.Row], afterUnknownOutcome: Bool) {
        rows.withLock { pending in
            if pending.isEmpty { return (fresh, false) }
            var taken = false
            let settled = zip(fresh, events).map { row, event -> MariaDBRepository.Row in
                guard let earlier = pending[row.event.id],
                    Self.same(earlier, row, timestampGiven: event.timestamp != nil)
                else { return row }
                pending.removeValue(forKey: row.event.id)
                taken = true
                return earlier
            }
            return (settled, taken)
        }
    }

    /// Keeps `sent` for a retry of the same events.
    func keep(_ sent: [MariaDBRepository.Row]) {
        rows.withLock { pending in
            for row in sent { pending[row.event.id] = row }
        }
    }

    private static func same(
        _ earlier: MariaDBRepository.Row, _ row: MariaDBRepository.Row, timestampGiven: Bool
    ) -> Bool {
        let (a, b) = (earlier.event, row.event)
        return a.domain == b.domain && a.pid == b.pid && a.name == b.name && a.rid == b.rid && a.data == b.data
            && (!timestampGiven || a.timestamp == b.timestamp)
    }
}

import EventflowDB

/// The rows W3 and its variants race for.
extension EventflowDB {
    /// Registers hubs `prefix0` … `prefix<count - 1>`: the claimants.
    func seedHubs(_ count: Int, prefix: String) async throws {
        for hub in 0..<count {
            _ = try await hubs.persistHub(
                NewHub(
                    id: "\(prefix)\(hub)", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1",
                    internalPort: 1))
        }
    }

    /// Persists the events `ids` (500 a statement) and a delivery row for each: claimable rows.
    func seedClaimable(_ ids: [String]) async throws {
        for start in stride(from: 0, to: ids.count, by: 500) {
            _ = try await events.persistEvents(
                ids[start..<min(start + 500, ids.count)].map {
                    NewEvent(id: $0, domain: "bench-claim", pid: "p", name: "created")
                })
        }
        for id in ids {
            _ = try await published.persistEventPublished(NewEventPublished(eventID: id, publisher: "bench"))
        }
    }
}

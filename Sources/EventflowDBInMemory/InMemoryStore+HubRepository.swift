public import EventflowDB

/// ``/EventflowDB/HubRepository`` in memory.
extension InMemoryStore: HubRepository {
    public func insertHub(_ hub: Validated<NewHub>) throws -> Bool {
        try ensureOpen(.hubPersist)
        if hubs[hub.id] != nil { return false }
        hubs[hub.id] = Hub(
            id: hub.id, timestamp: clock.now().truncatedToSeconds, externalIP: hub.externalIP,
            externalPort: hub.externalPort, internalIP: hub.internalIP, internalPort: hub.internalPort)
        return true
    }

    public func readOnlineHubs() throws -> [Hub] {
        try ensureOpen(.hubsRead)
        return hubs.values.filter { $0.quit == nil }.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }

    public func readHubs() throws -> [Hub] {
        try ensureOpen(.hubsRead)
        return hubs.values.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }

    public func changeHubToQuit(id: Identifier) throws -> Bool {
        try ensureOpen(.hubUpdateToQuit)
        guard let hub = hubs[id.value], hub.quit == nil else { return false }
        hubs[id.value]?.quit = clock.now().truncatedToSeconds
        return true
    }

    public func fetchHubQuit(id: Identifier) throws -> Bool {
        try ensureOpen(.hubHasQuit)
        return hubs[id.value]?.quit != nil
    }

    public func changeHubSeen(id: Identifier) throws -> Bool {
        try ensureOpen(.hubHeartbeat)
        guard hubs[id.value] != nil else { return false }
        hubs[id.value]?.lastSeen = clock.now().truncatedToMilliseconds
        hubs[id.value]?.quit = nil
        return true
    }

    public func fetchLiveHubs(seenWithin window: Timeout) throws -> [Hub] {
        try ensureOpen(.hubsRead)
        let since = clock.now().addingTimeInterval(-window.seconds).truncatedToMilliseconds
        return hubs.values.filter { hub in hub.quit == nil && hub.lastSeen.map { $0 >= since } ?? false }
            .sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }
}

public import EventflowDB

/// ``HubRepository`` in memory.
extension InMemoryRepository: HubRepository {
    @discardableResult
    public func persistHub(_ hub: Validated<NewHub>) async throws -> Bool {
        try await store.persistHub(hub.input)
    }

    public func readOnlineHubs() async throws -> [Hub] {
        try await store.readOnlineHubs()
    }

    public func readHubs() async throws -> [Hub] {
        try await store.readHubs()
    }

    @discardableResult
    public func updateHubToQuit(id: Identifier) async throws -> Bool {
        try await store.updateHubToQuit(id: id.value)
    }

    public func hasHubQuit(id: Identifier) async throws -> Bool {
        try await store.hasHubQuit(id: id.value)
    }
}

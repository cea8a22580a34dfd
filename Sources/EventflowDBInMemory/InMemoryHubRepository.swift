public import EventflowDB

/// ``HubRepository`` in memory.
public struct InMemoryHubRepository: HubRepository {
    public let store: InMemoryStore

    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    @discardableResult
    public func persistHub(_ hub: NewHub) async throws -> Bool {
        try Validator.validate(hub)
        return try await store.persistHub(hub)
    }

    public func readOnlineHubs() async throws -> [Hub] {
        try await store.readOnlineHubs()
    }

    public func readHubs() async throws -> [Hub] {
        try await store.readHubs()
    }

    @discardableResult
    public func updateHubToQuit(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        return try await store.updateHubToQuit(id: id)
    }

    public func hasHubQuit(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        return try await store.hasHubQuit(id: id)
    }
}

/// The registry of hubs.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values and carry names of their own (see ``EventRepository``).
public protocol HubRepository: Sendable {
    /// Registers a checked hub; false when a hub with its id is registered.
    @discardableResult
    func insertHub(_ hub: Validated<NewHub>) async throws -> Bool
    /// The hubs that have not quit, oldest first.
    func readOnlineHubs() async throws -> [Hub]
    /// Every registered hub, also those that quit, oldest first.
    func readHubs() async throws -> [Hub]
    /// Stamps a hub as quit, once; false when it is unknown or already quit.
    @discardableResult
    func changeHubToQuit(id: Identifier) async throws -> Bool
    /// Whether a hub has quit; false for an unknown hub.
    func fetchHubQuit(id: Identifier) async throws -> Bool
}

extension HubRepository {
    /// Registers a hub. Returns false when a hub with that id is already registered.
    @discardableResult
    public func persistHub(_ hub: NewHub) async throws -> Bool {
        try await insertHub(Validated(hub))
    }

    /// Marks a hub as quit, once. False when unknown or already quit.
    @discardableResult
    public func updateHubToQuit(id: String) async throws -> Bool {
        try await changeHubToQuit(id: Identifier(id, field: "id"))
    }

    /// Whether a hub has quit. False for an unknown hub.
    public func hasHubQuit(id: String) async throws -> Bool {
        try await fetchHubQuit(id: Identifier(id, field: "id"))
    }
}

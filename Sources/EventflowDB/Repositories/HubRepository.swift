/// The registry of hubs.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values (see ``EventRepository``).
public protocol HubRepository: Sendable {
    /// Implements ``persistHub(_:)-(NewHub)``.
    @discardableResult
    func persistHub(_ hub: Validated<NewHub>) async throws -> Bool
    /// The hubs that have not quit, oldest first.
    func readOnlineHubs() async throws -> [Hub]
    /// Every registered hub, also those that quit, oldest first.
    func readHubs() async throws -> [Hub]
    /// Implements ``updateHubToQuit(id:)-(String)``.
    @discardableResult
    func updateHubToQuit(id: Identifier) async throws -> Bool
    /// Implements ``hasHubQuit(id:)-(String)``.
    func hasHubQuit(id: Identifier) async throws -> Bool
}

extension HubRepository {
    /// Registers a hub. Returns false when a hub with that id is already registered.
    @discardableResult
    public func persistHub(_ hub: NewHub) async throws -> Bool {
        try await persistHub(Validated(hub))
    }

    /// Marks a hub as quit, once. False when unknown or already quit.
    @discardableResult
    public func updateHubToQuit(id: String) async throws -> Bool {
        try await updateHubToQuit(id: Identifier(id, field: "id"))
    }

    /// Whether a hub has quit. False for an unknown hub.
    public func hasHubQuit(id: String) async throws -> Bool {
        try await hasHubQuit(id: Identifier(id, field: "id"))
    }
}

/// The registry of hubs.
public protocol HubRepository: Sendable {
    /// Registers a hub. Returns false when a hub with that id is already registered.
    @discardableResult
    func persistHub(_ hub: NewHub) async throws -> Bool

    /// The hubs that have not quit, oldest first.
    func readOnlineHubs() async throws -> [Hub]

    /// Every registered hub, also those that quit, oldest first.
    func readHubs() async throws -> [Hub]

    /// Marks a hub as quit, once. False when unknown or already quit.
    @discardableResult
    func updateHubToQuit(id: String) async throws -> Bool

    /// Whether a hub has quit. False for an unknown hub.
    func hasHubQuit(id: String) async throws -> Bool
}

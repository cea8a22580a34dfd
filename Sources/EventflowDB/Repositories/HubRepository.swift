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
    /// Stamps a hub's `lastSeen` with the current time (to the millisecond) and clears its
    /// `quit`; false for an unknown hub.
    func changeHubSeen(id: Identifier) async throws -> Bool
    /// The hubs that have not quit and whose `lastSeen` is at most `window` before the current
    /// time, oldest first.
    func fetchLiveHubs(seenWithin window: Timeout) async throws -> [Hub]
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

    /// Records that a hub is running: its ``Hub/lastSeen`` becomes now, and a hub that had quit
    /// is online again (a hub restarting with its id). Call it every few seconds, well within
    /// the window that ``readLiveHubs(seenWithin:)`` is asked with. False for a hub that is not
    /// registered: register it with ``persistHub(_:)`` first.
    ///
    /// ```swift
    /// try await db.hubs.persistHub(NewHub(id: "hub-1", externalIP: "10.0.0.1", externalPort: 443,
    ///                                     internalIP: "10.0.0.1", internalPort: 8443))
    /// try await db.hubs.recordHeartbeat(hubID: "hub-1")  // and again every 5 s while running
    /// let live = try await db.hubs.readLiveHubs(seenWithin: .seconds(15))
    /// ```
    @discardableResult
    public func recordHeartbeat(hubID: String) async throws -> Bool {
        try await changeHubSeen(id: Identifier(hubID, field: "hubID"))
    }

    /// The hubs that are online and alive: not quit, and seen (a heartbeat) within `window`
    /// of now, oldest first. A hub that crashed drops out once `window` has passed since its
    /// last heartbeat, where ``readOnlineHubs()`` (the original's meaning: not quit) lists it
    /// for ever. A hub that never sent a heartbeat is not live.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming `seenWithin` for a window that
    ///   is negative or over a year.
    public func readLiveHubs(seenWithin window: Duration) async throws -> [Hub] {
        try await fetchLiveHubs(seenWithin: Timeout(window, field: "seenWithin"))
    }

    /// Whether a hub has quit. False for an unknown hub.
    public func hasHubQuit(id: String) async throws -> Bool {
        try await fetchHubQuit(id: Identifier(id, field: "id"))
    }
}

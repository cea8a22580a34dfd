public import EventflowDB
import Foundation

/// ``/EventflowDB/HubRepository`` on MariaDB.
extension MariaDBRepository: HubRepository {
    public func insertHub(_ hub: Validated<NewHub>) async throws -> Bool {
        try await context.changesRows(
            .hubPersist, "could not persist hub",
            """
            INSERT INTO hub (id, timestamp, external_ip, external_port, internal_ip, internal_port)
            VALUES (\(hub.id), \(context.now().truncatedToSeconds), \(hub.externalIP), \(hub.externalPort),
              \(hub.internalIP), \(hub.internalPort))
            ON DUPLICATE KEY UPDATE id = id
            """)
    }

    public func readOnlineHubs() async throws -> [Hub] {
        try await context.fetch(
            .hubsRead, "could not read online hubs", Hub.self,
            "SELECT \(unescaped: Hub.columns) FROM hub WHERE quit IS NULL ORDER BY timestamp, id")
    }

    public func readHubs() async throws -> [Hub] {
        try await context.fetch(
            .hubsRead, "could not read hubs", Hub.self,
            "SELECT \(unescaped: Hub.columns) FROM hub ORDER BY timestamp, id")
    }

    public func changeHubToQuit(id: Identifier) async throws -> Bool {
        try await context.changesRows(
            .hubUpdateToQuit, "could not update hub to quit",
            "UPDATE hub SET quit = \(context.now().truncatedToSeconds) WHERE id = \(id) AND quit IS NULL")
    }

    public func fetchHubQuit(id: Identifier) async throws -> Bool {
        let quit = try await context.fetchStrings(
            .hubHasQuit, "could not check if hub has quit", "SELECT id FROM hub WHERE id = \(id) AND quit IS NOT NULL")
        return !quit.isEmpty
    }

    public func changeHubSeen(id: Identifier) async throws -> Bool {
        // Idempotent: a second stamp after a lost reply only moves lastSeen on.
        let stamped = try await context.changesRows(
            .hubHeartbeat, "could not record the hub's heartbeat", retry: .idempotent,
            "UPDATE hub SET last_seen = \(context.now().truncatedToMilliseconds), quit = NULL WHERE id = \(id)")
        if stamped { return true }
        // No row changed: an unknown hub, or a stamp equal to the last (the same millisecond).
        return try await !context.fetchStrings(
            .hubHeartbeat, "could not record the hub's heartbeat", "SELECT id FROM hub WHERE id = \(id)"
        ).isEmpty
    }

    public func fetchLiveHubs(seenWithin window: Timeout) async throws -> [Hub] {
        try await context.fetch(
            .hubsRead, "could not read live hubs", Hub.self,
            """
            SELECT \(unescaped: Hub.columns) FROM hub WHERE quit IS NULL \
            AND last_seen >= \(context.now().addingTimeInterval(-window.seconds).truncatedToMilliseconds) \
            ORDER BY timestamp, id
            """)
    }
}

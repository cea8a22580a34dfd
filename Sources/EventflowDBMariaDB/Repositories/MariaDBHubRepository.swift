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
}

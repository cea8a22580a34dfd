import EventflowDB
import Foundation

/// ``HubRepository`` on MariaDB.
public struct MariaDBHubRepository: HubRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    public func persistHub(_ hub: NewHub) async throws -> Bool {
        try Validator.validate(hub)
        let result = try await context.execute(
            .hubPersist, "could not persist hub",
            "INSERT INTO hub (id, timestamp, external_ip, external_port, internal_ip, internal_port) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
            [
                .string(hub.id), .datetime(context.now().truncatedToSeconds), .string(hub.externalIP), .int(Int64(hub.externalPort)),
                .string(hub.internalIP), .int(Int64(hub.internalPort)),
            ])
        return result.affectedRows > 0
    }

    static let columns = "id, timestamp, external_ip, external_port, internal_ip, internal_port, quit"

    static func decode(_ row: MariaDBRow) throws -> Hub {
        Hub(
            id: try row.string(0), timestamp: try row.date(1), externalIP: try row.string(2), externalPort: try row.int(3),
            internalIP: try row.string(4), internalPort: try row.int(5), quit: try row.optionalDate(6))
    }

    public func readOnlineHubs() async throws -> [Hub] {
        try await context.read(
            .hubsRead, "could not read online hubs",
            "SELECT " + Self.columns + " FROM hub WHERE quit IS NULL ORDER BY timestamp, id", [], Self.decode)
    }

    public func readHubs() async throws -> [Hub] {
        try await context.read(.hubsRead, "could not read hubs", "SELECT " + Self.columns + " FROM hub ORDER BY timestamp, id", [], Self.decode)
    }

    public func updateHubToQuit(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        let result = try await context.execute(
            .hubUpdateToQuit, "could not update hub to quit", "UPDATE hub SET quit = ? WHERE id = ? AND quit IS NULL",
            [.datetime(context.now().truncatedToSeconds), .string(id)])
        return result.affectedRows == 1
    }

    public func hasHubQuit(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        let rows = try await context.read(
            .hubHasQuit, "could not check if hub has quit", "SELECT 1 FROM hub WHERE id = ? AND quit IS NOT NULL", [.string(id)]
        ) { _ in true }
        return !rows.isEmpty
    }
}

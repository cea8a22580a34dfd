import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func hubLifecycle(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            #expect(try await db.hubs.persistHub(Fixture.hub("hub-b", ip: "10.0.0.2", port: 50002)))
            clock.advance(by: 2)
            #expect(
                try await db.hubs.persistHub(
                    NewHub(
                        id: "hub-a", externalIP: "2001:db8::1", externalPort: 65535,
                        internalIP: "::ffff:192.168.100.200", internalPort: 0)))
            #expect(try await db.hubs.persistHub(Fixture.hub("hub-a")) == false)

            let online = try await db.hubs.readOnlineHubs()
            #expect(online.map(\.id) == ["hub-b", "hub-a"])
            #expect(
                online[1]
                    == Hub(
                        id: "hub-a", timestamp: clock.now().truncatedToSeconds, externalIP: "2001:db8::1",
                        externalPort: 65535,
                        internalIP: "::ffff:192.168.100.200", internalPort: 0))

            #expect(try await db.hubs.hasHubQuit(id: "hub-b") == false)
            #expect(try await db.hubs.updateHubToQuit(id: "hub-b"))
            #expect(try await db.hubs.updateHubToQuit(id: "hub-b") == false)
            #expect(try await db.hubs.hasHubQuit(id: "hub-b"))
            #expect(try await db.hubs.readOnlineHubs().map(\.id) == ["hub-a"])
            #expect(try await db.hubs.hasHubQuit(id: "unknown") == false)
            #expect(try await db.hubs.updateHubToQuit(id: "unknown") == false)
        }
    }
}

extension EventflowDBContract {
    /// Hubs.
    public static let hub: [ContractCase] = [
        ContractCase("Hubs", "registered hubs are online, oldest first, until they quit", hubLifecycle)
    ]
}

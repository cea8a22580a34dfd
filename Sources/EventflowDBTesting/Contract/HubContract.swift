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
    static func hubHeartbeat(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            #expect(try await db.hubs.persistHub(Fixture.hub("hub-a")))
            #expect(try await db.hubs.persistHub(Fixture.hub("hub-b", ip: "10.0.0.2", port: 50002)))
            // Registered but never seen: online in the original's sense, not live.
            #expect(try await db.hubs.readLiveHubs(seenWithin: .seconds(15)).isEmpty)
            #expect(try await db.hubs.readOnlineHubs().count == 2)

            #expect(try await db.hubs.recordHeartbeat(hubID: "hub-a"))
            #expect(try await db.hubs.recordHeartbeat(hubID: "hub-a"))  // again, the same millisecond
            let seen = clock.now().truncatedToMilliseconds
            #expect(try await db.hubs.readLiveHubs(seenWithin: .seconds(15)).map(\.id) == ["hub-a"])
            let hubA = try await db.hubs.readHubs().first { $0.id == "hub-a" }
            #expect(hubA?.lastSeen == seen)

            // hub-a crashes (no more heartbeats); hub-b beats on.
            clock.advance(by: 10)
            #expect(try await db.hubs.recordHeartbeat(hubID: "hub-b"))
            #expect(try await db.hubs.readLiveHubs(seenWithin: .seconds(15)).map(\.id) == ["hub-a", "hub-b"])
            clock.advance(by: 6)
            #expect(try await db.hubs.readLiveHubs(seenWithin: .seconds(15)).map(\.id) == ["hub-b"])
            #expect(try await db.hubs.readOnlineHubs().map(\.id) == ["hub-a", "hub-b"])

            // hub-b says goodbye, then restarts with its id: online and live again.
            #expect(try await db.hubs.updateHubToQuit(id: "hub-b"))
            #expect(try await db.hubs.readLiveHubs(seenWithin: .seconds(15)).isEmpty)
            #expect(try await db.hubs.recordHeartbeat(hubID: "hub-b"))
            #expect(try await db.hubs.hasHubQuit(id: "hub-b") == false)
            #expect(try await db.hubs.readLiveHubs(seenWithin: .seconds(15)).map(\.id) == ["hub-b"])

            #expect(try await db.hubs.recordHeartbeat(hubID: "unknown") == false)
        }
    }
}

extension EventflowDBContract {
    /// Hubs.
    public static let hub: [ContractCase] = [
        ContractCase("Hubs", "registered hubs are online, oldest first, until they quit", hubLifecycle),
        ContractCase(
            "Hubs", "a hub is live while its heartbeats are within the window, and a restart with its id revives it",
            hubHeartbeat),
    ]
}

import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func pinnedBehavesAsUnpinned(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.hubs.persistHub(Fixture.hub())
            let (id, claims) = try await db.withPinnedConnection {
                let id = try await db.publish(Fixture.event(id: "pinned-1", data: ["n": 1]), publisher: "spoke-1")
                // A publish that fails part way inside the pinned scope still leaves nothing behind.
                let unknownHub = await expectError(.eventPublish) {
                    try await db.publish(Fixture.event(id: "pinned-2"), publisher: "spoke", hub: "no-such-hub")
                }
                #expect(unknownHub?.isForeignKeyViolation == true)
                await expectError(.eventNotFound) { try await db.events.readEvent(id: "pinned-2") }
                let first = try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1")
                let second = try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-1")
                return (id, [first, second])
            }
            #expect(claims == [true, false])
            // What the pinned scope wrote is there after it, read unpinned.
            #expect(try await db.events.readEvent(id: id).data == ["n": 1])
            #expect(try await db.published.readEventPublished(eventID: id).hub == "hub-1")
            await expectError(.eventNotFound) { try await db.events.readEvent(id: "pinned-2") }
        }
    }
}

extension EventflowDBContract {
    /// Pinning a task to a connection.
    public static let pinned: [ContractCase] = [
        ContractCase(
            "Pinned connections",
            "inside withPinnedConnection writes, rollbacks, claims and errors behave as outside it",
            pinnedBehavesAsUnpinned)
    ]
}

import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func publishedPersistAndRead(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            let id = try await db.events.persistEvent(Fixture.event())
            #expect(
                try await db.published.persistEventPublished(
                    NewEventPublished(eventID: id, publisher: "spoke-1", consumer: "spoke-2", hub: "hub-1")))
            #expect(
                try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke-9"))
                    == false)
            let state = try await db.published.readEventPublished(eventID: id)
            #expect(
                state
                    == EventPublished(
                        eventID: id, published: clock.now().truncatedToSeconds, publisher: "spoke-1",
                        consumer: "spoke-2", hub: "hub-1"))
        }
    }

    static func publishedPersistUnknown(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let missingEvent = await expectError(.eventPublishedPersist) {
                try await db.published.persistEventPublished(NewEventPublished(eventID: "missing", publisher: "s"))
            }
            #expect(missingEvent?.isForeignKeyViolation == true)
            let id = try await db.events.persistEvent(Fixture.event())
            let missingHub = await expectError(.eventPublishedPersist) {
                try await db.published.persistEventPublished(
                    NewEventPublished(eventID: id, publisher: "s", hub: "no-hub"))
            }
            #expect(missingHub?.isForeignKeyViolation == true)
            await expectError(.eventPublishedNotFound) { try await db.published.readEventPublished(eventID: id) }
        }
    }

    static func publishedReadMissing(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            await expectError(.eventPublishedNotFound) { try await db.published.readEventPublished(eventID: "nope") }
        }
    }

    static func publishedHubClaimRace(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<16 { _ = try await db.hubs.persistHub(Fixture.hub("hub-\(index)")) }
            let id = try await db.events.persistEvent(Fixture.event())
            _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-\(index)")
                            ? "hub-\(index)" : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let winner = $1 { $0.append(winner) } }
            }
            #expect(winners.count == 1)
            let state = try await db.published.readEventPublished(eventID: id)
            #expect(state.hub == winners.first)
            #expect(state.consumedHub == clock.now().truncatedToSeconds)
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "hub-0") == false)
        }
    }

    static func publishedSpokeClaimRace(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let id = try await db.events.persistEvent(Fixture.event())
            _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        try await db.published.updateEventPublishedToConsumedBySpoke(
                            eventID: id, spokeID: "spoke-\(index)") ? "spoke-\(index)" : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let winner = $1 { $0.append(winner) } }
            }
            #expect(winners.count == 1)
            #expect(try await db.published.readEventPublished(eventID: id).consumer == winners.first)
        }
    }

    static func publishedClaimUnknownHub(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let id = try await db.events.persistEvent(Fixture.event())
            _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
            let error = await expectError(.eventPublishedCreate) {
                try await db.published.updateEventPublishedToConsumedByHub(eventID: id, hubID: "ghost")
            }
            #expect(error?.isForeignKeyViolation == true)
            #expect(try await db.published.readEventPublished(eventID: id).consumedHub == nil)
        }
    }

    static func publishedClaimUnpublished(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.hubs.persistHub(Fixture.hub())
            #expect(
                try await db.published.updateEventPublishedToConsumedByHub(eventID: "nope", hubID: "hub-1") == false)
            #expect(
                try await db.published.updateEventPublishedToConsumedBySpoke(eventID: "nope", spokeID: "s") == false)
        }
    }

    static func publishedTerminalStamps(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let id = try await db.events.persistEvent(Fixture.event())
            _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
            clock.advance(by: 5)
            #expect(try await db.published.updateEventPublishedToSuccess(eventID: id))
            #expect(try await db.published.updateEventPublishedToSuccess(eventID: id) == false)
            clock.advance(by: 5)
            #expect(try await db.published.updateEventPublishedToFailed(eventID: id))
            #expect(try await db.published.updateEventPublishedToFailed(eventID: id) == false)
            clock.advance(by: 5)
            #expect(try await db.published.updateEventPublishedToOrphan(eventID: id))
            #expect(try await db.published.updateEventPublishedToOrphan(eventID: id) == false)
            let state = try await db.published.readEventPublished(eventID: id)
            let start = ContractBackend.referenceDate
            #expect(state.success == start.addingTimeInterval(5).truncatedToSeconds)
            #expect(state.failed == start.addingTimeInterval(10).truncatedToSeconds)
            #expect(state.orphan == start.addingTimeInterval(15).truncatedToSeconds)
            #expect(try await db.published.updateEventPublishedToSuccess(eventID: "nope") == false)
        }
    }
}

extension EventflowDBContract {
    /// Published events.
    public static let published: [ContractCase] = [
        ContractCase("Published events", "publishing records the delivery state, once", publishedPersistAndRead),
        ContractCase(
            "Published events", "publishing an unknown event or through an unknown hub fails and writes nothing",
            publishedPersistUnknown),
        ContractCase(
            "Published events", "reading the delivery state of an unpublished event fails with PUBLISHED_NOT_FOUND",
            publishedReadMissing),
        ContractCase(
            "Published events", "of 16 hubs claiming the same event concurrently, exactly one wins",
            publishedHubClaimRace),
        ContractCase(
            "Published events", "of 16 spokes claiming the same event concurrently, exactly one wins",
            publishedSpokeClaimRace),
        ContractCase("Published events", "claiming for a hub that is not registered fails", publishedClaimUnknownHub),
        ContractCase(
            "Published events", "claims on an event that was never published return false", publishedClaimUnpublished),
        ContractCase("Published events", "success, failed and orphan are each stamped once", publishedTerminalStamps),
    ]
}

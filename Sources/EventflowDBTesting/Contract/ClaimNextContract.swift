import EventflowDB
import Foundation
import Testing

// Claiming the next pending delivery: what concurrent hubs each win, and what is never claimed.

extension EventflowDBContract {
    static func claimNextSplitsTheWork(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for hub in hubs { _ = try await db.hubs.persistHub(Fixture.hub(hub)) }
            let ids = (0..<40).map { "n\($0)" }
            for id in ids { _ = try await db.publish(Fixture.event(id: id), publisher: "spoke") }
            // 8 hubs take the next delivery until none is left.
            let wins = try await withThrowingTaskGroup(of: [PendingDelivery].self) { group in
                for hub in hubs {
                    group.addTask {
                        var won: [PendingDelivery] = []
                        while let next = try await db.published.claimNextDelivery(
                            hubID: hub, lease: .seconds(30), maxAttempts: 3)
                        {
                            won.append(next)
                        }
                        return won
                    }
                }
                return try await group.reduce(into: [PendingDelivery]()) { $0 += $1 }
            }
            #expect(wins.map(\.event.id).sorted() == ids.sorted(), "each delivery won once")
            for win in wins {
                let state = try await db.published.readEventPublished(eventID: win.event.id)
                #expect(state == win.delivery, "returned as the claim left it")
                #expect(
                    state.attempts == 1
                        && state.leaseUntil == clock.now().addingTimeInterval(30).truncatedToMilliseconds)
            }
            #expect(
                try await db.published.claimNextDelivery(hubID: "hub-a", lease: .seconds(30), maxAttempts: 3) == nil)
            _ = try await db.publish(Fixture.event(id: "late"), publisher: "spoke")
            await expectError(.eventPublishedCreate) {
                try await db.published.claimNextDelivery(hubID: "ghost", lease: .seconds(1), maxAttempts: 3)
            }
            #expect(try await db.published.readEventPublished(eventID: "late").attempts == 0)
            await expectError(.invalidInput, field: "maxAttempts") {
                try await db.published.claimNextDelivery(hubID: "hub-a", lease: .seconds(1), maxAttempts: 0)
            }
        }
    }

    static func claimNextSkipsWhatIsNotPending(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub("hub-a"))
            let later = clock.now().addingTimeInterval(60)
            _ = try await db.publish(Fixture.event(id: "waits"), publisher: "spoke", scheduled: later)
            _ = try await db.publish(Fixture.event(id: "backoff"), publisher: "spoke")
            _ = try await db.publish(Fixture.event(id: "spent"), publisher: "spoke")
            // One in its back-off, one whose lease ended on its last attempt.
            #expect(
                try await db.published.claimDelivery(
                    eventID: "backoff", hubID: "hub-a", lease: .seconds(5), maxAttempts: 3))
            #expect(
                try await db.published.failDelivery(
                    eventID: "backoff", hubID: "hub-a", maxAttempts: 3, retryAfter: .seconds(10)))
            #expect(
                try await db.published.claimDelivery(
                    eventID: "spent", hubID: "hub-a", lease: .seconds(5), maxAttempts: 1))
            clock.advance(by: 6)
            #expect(
                try await db.published.claimNextDelivery(hubID: "hub-a", lease: .seconds(5), maxAttempts: 1) == nil,
                "not due, in its back-off, or at the maximum")
            clock.advance(by: 5)
            let retry = try await db.published.claimNextDelivery(hubID: "hub-a", lease: .seconds(5), maxAttempts: 3)
            #expect(retry?.event.id == "backoff" && retry?.delivery.attempts == 2)
            clock.advance(by: 50)
            let due = try await db.published.claimNextDelivery(hubID: "hub-a", lease: .seconds(5), maxAttempts: 1)
            #expect(due?.event.id == "waits", "once its schedule is due; the spent one stays at its maximum")
        }
    }
}

extension EventflowDBContract {
    /// Claiming the next pending delivery.
    public static let claimNext: [ContractCase] = [
        ContractCase(
            "Delivery lifecycle",
            "8 hubs claiming the next delivery until none is left win each of 40 once, as the claim left it",
            claimNextSplitsTheWork),
        ContractCase(
            "Delivery lifecycle",
            "the next delivery skips one not yet due, one in its back-off and one at its maximum, and takes each once it may",
            claimNextSkipsWhatIsNotPending),
    ]
}

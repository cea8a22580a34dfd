import EventflowDB
import Foundation
import Testing

// The delivery lifecycle: every transition, and every refused one, on each backend.

extension EventflowDBContract {
    /// Publishes `ids` and registers hubs `hub-a` … `hub-h`.
    fileprivate static func deliverySetup(_ db: EventflowDB, _ ids: [String]) async throws {
        for hub in "abcdefgh" { _ = try await db.hubs.persistHub(Fixture.hub("hub-\(hub)")) }
        for id in ids { _ = try await db.publish(Fixture.event(id: id), publisher: "spoke") }
    }

    /// Claims `id` from `hubs` at once; the hubs that won.
    fileprivate static func race(
        _ db: EventflowDB, _ id: String, hubs: [String], lease: Duration = .seconds(30), maxAttempts: Int = 3
    ) async throws -> [String] {
        try await withThrowingTaskGroup(of: String?.self) { group in
            for hub in hubs {
                group.addTask {
                    try await db.published.claimDelivery(
                        eventID: id, hubID: hub, lease: lease, maxAttempts: maxAttempts)
                        ? hub : nil
                }
            }
            return try await group.reduce(into: [String]()) { if let hub = $1 { $0.append(hub) } }
        }
    }

    static let hubs = "abcdefgh".map { "hub-\($0)" }

    static func deliveryClaimCountsWins(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["e1", "e2"])
            // Looking counts nothing: reads leave the attempts alone.
            for _ in 0..<5 {
                _ = try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10)
            }
            #expect(try await db.published.readEventPublished(eventID: "e1").attempts == 0)
            let winners = try await race(db, "e1", hubs: hubs)
            #expect(winners.count == 1)
            let state = try await db.published.readEventPublished(eventID: "e1")
            #expect(state.attempts == 1, "one attempt for the one claim won, none for the seven lost")
            #expect(state.hub == winners.first && state.consumedHub == clock.now().truncatedToSeconds)
            #expect(state.leaseUntil == clock.now().addingTimeInterval(30).truncatedToMilliseconds)
            #expect(state.state(at: clock.now()) == .claimed(hub: winners.first, leaseUntil: state.leaseUntil))
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10).map(
                    \.eventID) == ["e2"])
            #expect(try await db.published.readClaims(hubID: winners[0], limit: 10) == [state])
            #expect(try await db.published.succeedDelivery(eventID: "e1", hubID: winners[0]))
            let done = try await db.published.readEventPublished(eventID: "e1")
            #expect(done.success == clock.now().truncatedToSeconds && done.state(at: clock.now()) == .succeeded)
            #expect(try await db.published.readClaims(hubID: winners[0], limit: 10).isEmpty)
            // Finished: nothing moves it again.
            #expect(try await db.published.succeedDelivery(eventID: "e1", hubID: winners[0]) == false)
            #expect(
                try await db.published.failDelivery(eventID: "e1", hubID: winners[0], maxAttempts: 3, retryAfter: .zero)
                    == false)
            #expect(try await db.published.renewLease(eventID: "e1", hubID: winners[0], lease: .seconds(30)) == false)
            #expect(try await race(db, "e1", hubs: hubs).isEmpty)
            #expect(
                try await db.published.claimDelivery(
                    eventID: "nope", hubID: "hub-a", lease: .seconds(1), maxAttempts: 3) == false)
            await expectError(.eventPublishedCreate) {
                try await db.published.claimDelivery(eventID: "e2", hubID: "ghost", lease: .seconds(1), maxAttempts: 3)
            }
            #expect(
                try await db.published.readEventPublished(eventID: "e2").attempts == 0, "a refused claim counts nothing"
            )
            await expectError(.invalidInput, field: "maxAttempts") {
                try await db.published.claimDelivery(eventID: "e2", hubID: "hub-a", lease: .seconds(1), maxAttempts: 0)
            }
            await expectError(.invalidInput, field: "lease") {
                try await db.published.claimDelivery(eventID: "e2", hubID: "hub-a", lease: .seconds(-1), maxAttempts: 1)
            }
        }
    }

    static func deliveryExpiredLease(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["e1"])
            #expect(
                try await db.published.claimDelivery(eventID: "e1", hubID: "hub-a", lease: .seconds(10), maxAttempts: 3)
            )
            clock.advance(by: 5)
            #expect(try await race(db, "e1", hubs: hubs).isEmpty, "a live lease is refused to everyone, its holder too")
            #expect(try await db.published.renewLease(eventID: "e1", hubID: "hub-a", lease: .seconds(10)))
            #expect(try await db.published.renewLease(eventID: "e1", hubID: "hub-b", lease: .seconds(10)) == false)
            clock.advance(by: 9)
            #expect(try await race(db, "e1", hubs: hubs).isEmpty, "renewed: live for 10 s from the renewal")
            clock.advance(by: 2)
            // hub-a died: its lease ended, the event is pending again and delivered again once.
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10).map(
                    \.eventID) == ["e1"])
            let winners = try await race(db, "e1", hubs: Array(hubs.dropFirst()))
            #expect(winners.count == 1)
            let state = try await db.published.readEventPublished(eventID: "e1")
            #expect(state.attempts == 2 && state.hub == winners.first)
            #expect(try await race(db, "e1", hubs: hubs).isEmpty)
            // The old holder learns it lost the claim: renew, succeed and fail answer false.
            #expect(try await db.published.renewLease(eventID: "e1", hubID: "hub-a", lease: .seconds(10)) == false)
            #expect(try await db.published.succeedDelivery(eventID: "e1", hubID: "hub-a") == false)
            #expect(try await db.published.readEventPublished(eventID: "e1") == state)
            #expect(try await db.published.succeedDelivery(eventID: "e1", hubID: winners[0]))
        }
    }

    static func deliveryRetriesThenDeadLetter(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["e1"])
            for attempt in 1...3 {
                #expect(
                    try await db.published.claimDelivery(
                        eventID: "e1", hubID: "hub-a", lease: .seconds(30), maxAttempts: 3))
                #expect(
                    try await db.published.failDelivery(
                        eventID: "e1", hubID: "hub-b", maxAttempts: 3, retryAfter: .seconds(5))
                        == false, "only the holder records the outcome")
                #expect(
                    try await db.published.failDelivery(
                        eventID: "e1", hubID: "hub-a", maxAttempts: 3, retryAfter: .seconds(5)))
                let state = try await db.published.readEventPublished(eventID: "e1")
                #expect(state.attempts == attempt)
                if attempt < 3 {
                    // Failed below the maximum: waits for its back-off, then pending again.
                    #expect(state.failed == nil && state.consumedHub == nil && state.leaseUntil == nil)
                    #expect(
                        state.state(at: clock.now())
                            == .waitingForRetry(until: clock.now().addingTimeInterval(5).truncatedToMilliseconds))
                    #expect(
                        try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10)
                            .isEmpty)
                    #expect(try await race(db, "e1", hubs: hubs).isEmpty, "not before the back-off")
                    #expect(try await db.published.readDeadLetters(limit: 10).isEmpty)
                    clock.advance(by: 5)
                    #expect(
                        try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10)
                            .count == 1)
                } else {
                    // At the maximum: a dead letter; nobody claims it, attempts stay at the maximum.
                    #expect(
                        state.failed == clock.now().truncatedToSeconds && state.state(at: clock.now()) == .deadLetter)
                    #expect(try await db.published.readDeadLetters(limit: 10) == [state])
                    clock.advance(by: 3_600)
                    #expect(try await race(db, "e1", hubs: hubs, maxAttempts: 10).isEmpty)
                    #expect(
                        try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10)
                            .isEmpty)
                    #expect(try await db.published.readEventPublished(eventID: "e1").attempts == 3)
                }
            }
        }
    }

    static func deliveryExhausted(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["e1"])
            #expect(
                try await db.published.claimDelivery(eventID: "e1", hubID: "hub-a", lease: .seconds(10), maxAttempts: 1)
            )
            #expect(
                try await db.published.exhaustDelivery(eventID: "e1", maxAttempts: 1) == false,
                "held under a live lease")
            clock.advance(by: 11)
            // The last attempt's hub died: pending, but no claim may pass the maximum.
            #expect(try await race(db, "e1", hubs: hubs, maxAttempts: 1).isEmpty)
            #expect(try await db.published.readEventPublished(eventID: "e1").attempts == 1)
            #expect(
                try await db.published.exhaustDelivery(eventID: "e1", maxAttempts: 2) == false, "below that maximum")
            #expect(try await db.published.exhaustDelivery(eventID: "e1", maxAttempts: 1))
            #expect(try await db.published.exhaustDelivery(eventID: "e1", maxAttempts: 1) == false)
            let dead = try await db.published.readDeadLetters(limit: 10)
            #expect(dead.map(\.eventID) == ["e1"] && dead.first?.attempts == 1)
        }
    }

    static func deliveryRequeue(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["live", "dead", "old"])
            // A live claim: requeue and discard answer false and the holder keeps it.
            #expect(
                try await db.published.claimDelivery(
                    eventID: "live", hubID: "hub-a", lease: .seconds(30), maxAttempts: 3))
            let live = try await db.published.readEventPublished(eventID: "live")
            #expect(try await db.published.requeueDeadLetter(live) == false)
            #expect(try await db.published.discardDeadLetter(live) == false)
            var forged = live
            forged.failed = clock.now().truncatedToSeconds
            #expect(try await db.published.requeueDeadLetter(forged) == false, "not a dead letter, whatever was seen")
            #expect(try await db.published.readEventPublished(eventID: "live") == live)
            #expect(try await race(db, "live", hubs: Array(hubs.dropFirst())).isEmpty)
            #expect(try await db.published.succeedDelivery(eventID: "live", hubID: "hub-a"))

            // A dead letter: requeued only as the operator saw it.
            #expect(
                try await db.published.claimDelivery(
                    eventID: "dead", hubID: "hub-a", lease: .seconds(30), maxAttempts: 1))
            #expect(
                try await db.published.failDelivery(eventID: "dead", hubID: "hub-a", maxAttempts: 1, retryAfter: .zero))
            let dead = try await db.published.readEventPublished(eventID: "dead")
            var stale = dead
            stale.attempts = 0
            #expect(try await db.published.requeueDeadLetter(stale) == false, "changed since it was seen")
            #expect(try await db.published.requeueDeadLetter(dead))
            #expect(try await db.published.requeueDeadLetter(dead) == false, "repeating it changes nothing")
            let requeued = try await db.published.readEventPublished(eventID: "dead")
            #expect(requeued.attempts == 0 && requeued.failed == nil && requeued.consumedHub == nil)
            #expect(requeued.state(at: clock.now()) == .pending)
            #expect(try await race(db, "dead", hubs: hubs, maxAttempts: 1).count == 1)
            // A repeat of the old requeue after the new claim cannot take the claim away.
            #expect(try await db.published.requeueDeadLetter(dead) == false)
            #expect(try await db.published.readEventPublished(eventID: "dead").consumedHub != nil)

            // Stamped failed by a hub of the original library: a dead letter too.
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: "old", hubID: "hub-c"))
            #expect(try await db.published.updateEventPublishedToFailed(eventID: "old"))
            let old = try await db.published.readEventPublished(eventID: "old")
            #expect(old.state(at: clock.now()) == .deadLetter)
            #expect(try await db.published.readDeadLetters(limit: 10) == [old])
            #expect(try await db.published.discardDeadLetter(old))
            #expect(try await db.published.discardDeadLetter(old) == false)
            #expect(try await db.published.requeueDeadLetter(old) == false, "discarded for good")
            #expect(try await db.published.readEventPublished(eventID: "old").state(at: clock.now()) == .discarded)
            #expect(try await db.published.readDeadLetters(limit: 10).isEmpty)
        }
    }

    static func deliveryClaimsOfAHub(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["e1", "e2", "e3", "e4"])
            #expect(
                try await db.published.claimDelivery(eventID: "e1", hubID: "hub-a", lease: .seconds(10), maxAttempts: 3)
            )
            #expect(
                try await db.published.claimDelivery(eventID: "e2", hubID: "hub-a", lease: .seconds(10), maxAttempts: 3)
            )
            #expect(
                try await db.published.claimDelivery(eventID: "e3", hubID: "hub-b", lease: .seconds(10), maxAttempts: 3)
            )
            // An original-library claim: no lease, no attempt.
            #expect(try await db.published.updateEventPublishedToConsumedByHub(eventID: "e4", hubID: "hub-a"))
            // hub-a restarts after its leases ended: it reads what it holds, by its id.
            clock.advance(by: 60)
            let mine = try await db.published.readClaims(hubID: "hub-a", limit: 10)
            #expect(mine.map(\.eventID) == ["e1", "e2", "e4"])
            #expect(mine.last?.leaseUntil == nil && mine.last?.attempts == 0)
            #expect(try await db.published.readClaims(hubID: "hub-a", limit: 1).count == 1)
            #expect(
                try await db.published.succeedDelivery(eventID: "e1", hubID: "hub-a"),
                "finished after its lease ended, before anyone took it")
            #expect(try await db.published.releaseDelivery(eventID: "e2", hubID: "hub-a"))
            #expect(try await db.published.releaseDelivery(eventID: "e2", hubID: "hub-a") == false)
            #expect(
                try await db.published.releaseDelivery(eventID: "e4", hubID: "hub-a") == false, "no lease to give back")
            let released = try await db.published.readEventPublished(eventID: "e2")
            #expect(released.attempts == 1 && released.state(at: clock.now()) == .pending)
            #expect(try await db.published.readClaims(hubID: "hub-a", limit: 10).map(\.eventID) == ["e4"])
            // The original claim never expires by itself; its hub's stamp ends it.
            #expect(try await race(db, "e4", hubs: hubs).isEmpty)
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10).map(
                    \.eventID) == ["e2", "e3"])
            #expect(try await db.published.updateEventPublishedToSuccess(eventID: "e4"))
            #expect(try await db.published.readClaims(hubID: "hub-a", limit: 10).isEmpty)
            await expectError(.invalidInput, field: "hubID") { try await db.published.readClaims(hubID: "", limit: 10) }
        }
    }
}

extension EventflowDBContract {
    static func deliveryLoop(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await deliverySetup(db, ["e1", "e2", "e3", "e4"])
            // e1: hub-a died holding it; e3: hub-b's own claim from an earlier process of hub-b;
            // e4: its last attempt's hub died.
            #expect(
                try await db.published.claimDelivery(eventID: "e1", hubID: "hub-a", lease: .seconds(10), maxAttempts: 2)
            )
            #expect(
                try await db.published.claimDelivery(eventID: "e4", hubID: "hub-c", lease: .seconds(10), maxAttempts: 2)
            )
            #expect(
                try await db.published.failDelivery(eventID: "e4", hubID: "hub-c", maxAttempts: 2, retryAfter: .zero))
            #expect(
                try await db.published.claimDelivery(eventID: "e4", hubID: "hub-c", lease: .seconds(10), maxAttempts: 2)
            )
            clock.advance(by: 11)
            #expect(
                try await db.published.claimDelivery(eventID: "e3", hubID: "hub-b", lease: .seconds(60), maxAttempts: 2)
            )

            var delivered: [String: Int] = [:]
            let policy = DeliveryPolicy(lease: .seconds(60), maxAttempts: 2, pollInterval: .milliseconds(5))
            for try await delivery in db.deliveries(hubID: "hub-b", policy: policy) {
                #expect(delivery.state.hub == "hub-b" && delivery.state.attempts == delivery.attempt)
                delivered[delivery.event.id] = delivery.attempt
                #expect(try await delivery.succeed())
                if delivered.count == 3 { break }
            }
            #expect(delivered == ["e1": 2, "e2": 1, "e3": 2], "e4 was made a dead letter, not delivered")
            #expect(try await db.published.readDeadLetters(limit: 10).map(\.eventID) == ["e4"])
            #expect(try await db.published.readClaims(hubID: "hub-b", limit: 10).isEmpty)
            #expect(
                try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: 10).isEmpty)
            await expectError(.invalidInput, field: "policy.maxAttempts") {
                for try await _ in db.deliveries(hubID: "hub-b", policy: DeliveryPolicy(maxAttempts: 0)) {}
            }
        }
    }
}

extension EventflowDBContract {
    /// The delivery lifecycle: claims under a lease, attempts, retries, dead letters.
    public static let delivery: [ContractCase] = [
        ContractCase(
            "Delivery lifecycle",
            "of 8 hubs claiming one pending delivery exactly one wins, and only the win counts an attempt",
            deliveryClaimCountsWins),
        ContractCase(
            "Delivery lifecycle",
            "a live lease is refused to everyone; an expired one is claimed again exactly once, and its old holder is told",
            deliveryExpiredLease),
        ContractCase(
            "Delivery lifecycle",
            "a failure below the maximum waits for its back-off, at the maximum it is a dead letter; attempts never pass it",
            deliveryRetriesThenDeadLetter),
        ContractCase(
            "Delivery lifecycle", "a lease that ended on the last attempt is made a dead letter, not claimed again",
            deliveryExhausted),
        ContractCase(
            "Delivery lifecycle",
            "requeue and discard act only on a dead letter as it was seen; a live claim stays with its holder",
            deliveryRequeue),
        ContractCase(
            "Delivery lifecycle",
            "a hub reads the claims it holds by its id and finishes or releases them; an original claim never expires",
            deliveryClaimsOfAHub),
        ContractCase(
            "Delivery lifecycle",
            "the hub loop hands over what its hub won, with exact attempts: expired leases, its own leftovers, fresh ones",
            deliveryLoop),
    ]
}

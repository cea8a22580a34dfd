import EventflowDB
import EventflowDBInMemory
import Foundation
import Testing

/// The library's waits on the fakes run on the store's clock (issue #24): with a `ManualClock`,
/// a delivery loop's wait and a follower's poll end when the test advances the clock, not after
/// real time.
@Suite("Virtual waits on the fakes")
struct VirtualWaitTests {
    /// Fakes on a manual clock, with `hubs` registered and one event published.
    static func published(hubs: [String]) async throws -> (ManualClock, EventflowDB, String) {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let db = EventflowDB.inMemory(clock: clock)
        for id in hubs {
            try await db.hubs.persistHub(
                NewHub(id: id, externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 1))
        }
        let id = try await db.publish(NewEvent(id: "e1", domain: "d", pid: "p", name: "n"), publisher: "spoke")
        return (clock, db, id)
    }

    @Test(
        "a delivery loop waiting out a 60 s poll takes over a dead hub's delivery as soon as the clock passes its lease"
    )
    func deliveryLoopWaitsOnTheClock() async throws {
        let (clock, db, id) = try await Self.published(hubs: ["hub-dead", "hub-live"])
        // The dead hub's claim holds the delivery for 30 s of the store's time.
        #expect(
            try await db.published.claimDelivery(eventID: id, hubID: "hub-dead", lease: .seconds(30), maxAttempts: 5))
        let started = ContinuousClock.now
        let delivered = Task {
            for try await delivery in db.deliveries(
                hubID: "hub-live", policy: DeliveryPolicy(pollInterval: .seconds(60)))
            {
                _ = try await delivery.succeed()
                return delivery.event.id
            }
            return ""
        }
        await clock.advance(untilSleepers: 1)  // the loop found nothing and waits
        clock.advance(by: 61)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(20))
            delivered.cancel()
        }
        let won = try? await delivered.value
        watchdog.cancel()
        #expect(won == id, "taken over once the clock passed the lease and the poll")
        #expect(ContinuousClock.now - started < .seconds(20), "without waiting a real minute")
    }

    @Test(
        "a delivery's lease is renewed on the store's clock: a minute of virtual work keeps it, another hub is refused")
    func leaseRenewedOnTheClock() async throws {
        let (clock, db, id) = try await Self.published(hubs: ["hub-a", "hub-b"])
        var loop = db.deliveries(hubID: "hub-a", policy: DeliveryPolicy(lease: .seconds(30))).makeAsyncIterator()
        let delivery = try #require(try await loop.next())
        // Six renewal periods of 10 s: each wakes the renewal, which extends the lease to now + 30 s.
        for _ in 0..<6 {
            await clock.advance(untilSleepers: 1)
            clock.advance(by: 10)
            let renewedUntil = clock.now().addingTimeInterval(30)
            let deadline = ContinuousClock.now + .seconds(10)
            while try await db.published.readEventPublished(eventID: id).leaseUntil != renewedUntil,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        #expect(
            try await db.published.claimDelivery(eventID: id, hubID: "hub-b", lease: .seconds(30), maxAttempts: 5)
                == false, "still held after a virtual minute")
        #expect(try await delivery.succeed())
    }
}

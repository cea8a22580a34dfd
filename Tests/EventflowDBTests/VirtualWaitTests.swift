import EventflowDB
import EventflowDBInMemory
import Foundation
import Testing

/// The library's waits on the fakes run on the store's clock (issue #24): with a `ManualClock`,
/// a delivery loop's wait and a follower's poll end when the test advances the clock, not after
/// real time.
@Suite("Virtual waits on the fakes")
struct VirtualWaitTests {
    @Test(
        "a delivery loop waiting out a 60 s poll takes over a dead hub's delivery as soon as the clock passes its lease"
    )
    func deliveryLoopWaitsOnTheClock() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        let db = EventflowDB.inMemory(clock: clock)
        for id in ["hub-dead", "hub-live"] {
            try await db.hubs.persistHub(
                NewHub(id: id, externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 1))
        }
        let id = try await db.publish(NewEvent(id: "e1", domain: "d", pid: "p", name: "n"), publisher: "spoke")
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
}

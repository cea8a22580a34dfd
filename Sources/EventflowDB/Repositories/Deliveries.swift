import Foundation

/// The deliveries a hub wins, one at a time, for as long as it iterates: see
/// ``EventflowDB/deliveries(hubID:policy:)``.
public struct Deliveries: AsyncSequence, Sendable {
    public typealias Element = Delivery
    public typealias Failure = any Error

    let db: EventflowDB
    let hubID: String
    let policy: DeliveryPolicy

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(db: db, hubID: hubID, policy: policy)
    }

    /// Claims the next pending delivery no other hub is claiming
    /// (``EventPublishedRepository/claimNextDelivery(hubID:lease:maxAttempts:)``); waits when none is
    /// pending.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let db: EventflowDB
        let hubID: String
        let policy: DeliveryPolicy
        var started = false
        /// Deliveries claimed since spent ones were last made dead letters.
        var claimsSinceExhausting = 0

        /// The next delivery this hub won. Never nil: it waits until one is pending. Throws when
        /// the task is cancelled, the policy or hub id is invalid, or the database fails.
        public mutating func next() async throws -> Delivery? {
            if !started {
                try policy.validate()
                try Validator.identifier(hubID, field: "hubID")
                try await releaseOwnClaims()
                try await exhaustSpent()
                started = true
            }
            while true {
                try Task.checkCancellation()
                if claimsSinceExhausting >= policy.batchSize { try await exhaustSpent() }
                // Read before the claim: a publish that commits after it ends the wait.
                let seen = await db.follow.fetchWriteCount()
                if let won = try await db.published.claimNextDelivery(
                    hubID: hubID, lease: policy.lease, maxAttempts: policy.maxAttempts)
                {
                    claimsSinceExhausting += 1
                    return Delivery(
                        event: won.event, state: won.delivery, hubID: hubID, published: db.published, policy: policy,
                        clock: db.clock)
                }
                try await exhaustSpent()
                // Woken by a publish of this process, or on MariaDB of another (through the
                // binary log); after `pollInterval` at the latest.
                await db.follow.awaitWrite(after: seen, timeout: policy.pollInterval)
            }
        }

        /// Pending deliveries at the maximum of attempts (their last hub died holding them)
        /// become dead letters: when the loop starts, when it has nothing to claim, and after every
        /// `batchSize` claims.
        private mutating func exhaustSpent() async throws {
            claimsSinceExhausting = 0
            // Every pending delivery: none is published after the backend's now, and this
            // process's `Date()` is not that now when the backend runs on a test clock.
            let pending = try await db.published.readPendingDeliveries(
                publishedBefore: .distantFuture, limit: policy.batchSize)
            for spent in pending where spent.delivery.attempts >= policy.maxAttempts {
                _ = try await db.published.exhaustDelivery(
                    eventID: spent.delivery.eventID, maxAttempts: policy.maxAttempts)
            }
        }

        /// A hub id is one process at a time: claims under this id with a lease are left over from
        /// an earlier process of this hub, and are given back to be delivered again.
        private func releaseOwnClaims() async throws {
            while true {
                let held = try await db.published.readClaims(hubID: hubID, limit: policy.batchSize)
                    .filter { $0.leaseUntil != nil }
                var released = 0
                for claim in held where try await db.published.releaseDelivery(eventID: claim.eventID, hubID: hubID) {
                    released += 1
                }
                if held.count < policy.batchSize || released == 0 { return }
            }
        }
    }
}

extension EventflowDB {
    /// The deliveries `hubID` wins, as an endless asynchronous sequence: each pending delivery
    /// (never claimed, its lease ended, its back-off passed) is claimed under a lease, counting
    /// one attempt, and handed to the caller with its event. The caller delivers it and reports
    /// the outcome; meanwhile the lease is renewed. Hubs claim the next delivery no other hub is
    /// claiming, so they never try the same ones (on MariaDB, `FOR UPDATE SKIP LOCKED`): one claim
    /// per delivery.
    ///
    /// ```swift
    /// for try await delivery in db.deliveries(hubID: "hub-1") {
    ///     do {
    ///         try await broadcast(delivery.event)
    ///         try await delivery.succeed()
    ///     } catch {
    ///         try await delivery.fail()   // retried after a back-off; a dead letter at the maximum
    ///     }
    /// }
    /// ```
    ///
    /// A hub id stands for one process at a time: when the sequence starts it gives back the
    /// claims under a lease that `hubID` still holds (left by an earlier process of this hub), so
    /// they are delivered again now. Deliveries that reached the policy's maximum attempts without
    /// an outcome (their last hub died) are made dead letters on the way (when the loop starts, when
    /// it finds nothing to claim, and after every `batchSize` claims).
    public func deliveries(hubID: String, policy: DeliveryPolicy = DeliveryPolicy()) -> Deliveries {
        Deliveries(db: self, hubID: hubID, policy: policy)
    }
}

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

    /// Reads pending deliveries a batch at a time and claims them one by one; waits when none is
    /// pending.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let db: EventflowDB
        let hubID: String
        let policy: DeliveryPolicy
        var candidates: [PendingDelivery] = []
        var started = false

        /// The next delivery this hub won. Never nil: it waits until one is pending. Throws when
        /// the task is cancelled, the policy or hub id is invalid, or the database fails.
        public mutating func next() async throws -> Delivery? {
            if !started {
                try policy.validate()
                try Validator.identifier(hubID, field: "hubID")
                try await releaseOwnClaims()
                started = true
            }
            while true {
                try Task.checkCancellation()
                if candidates.isEmpty {
                    // Read before the read: a publish that commits after it ends the wait.
                    let seen = await db.follow.fetchWriteCount()
                    // Every pending delivery: none is published after the backend's now, and this
                    // process's `Date()` is not that now when the backend runs on a test clock.
                    let read = try await db.published.readPendingDeliveries(
                        publishedBefore: .distantFuture, limit: policy.batchSize)
                    // Those at the maximum (their last hub died) become dead letters at once.
                    for exhausted in read where exhausted.delivery.attempts >= policy.maxAttempts {
                        _ = try await db.published.exhaustDelivery(
                            eventID: exhausted.delivery.eventID, maxAttempts: policy.maxAttempts)
                    }
                    candidates = read.filter { $0.delivery.attempts < policy.maxAttempts }.shuffled()
                    if candidates.isEmpty {
                        // Woken by a publish of this process, or on MariaDB of another (through
                        // the binary log); after `pollInterval` at the latest.
                        await db.follow.awaitWrite(after: seen, timeout: policy.pollInterval)
                        continue
                    }
                }
                if let won = try await claimFromCandidates() { return won }
            }
        }

        /// Claims the first candidate it can, on one pinned connection.
        private mutating func claimFromCandidates() async throws -> Delivery? {
            let (db, hubID, policy) = (db, hubID, policy)
            var remaining = candidates
            let won: Delivery? = try await db.withPinnedConnection {
                while let pending = remaining.popLast() {
                    let eventID = pending.delivery.eventID
                    if try await db.published.claimDelivery(
                        eventID: eventID, hubID: hubID, lease: policy.lease, maxAttempts: policy.maxAttempts)
                    {
                        // The row as the claim left it: the candidate may be stale (another hub
                        // tried it meanwhile), and the attempt number must be exact.
                        let state = try await db.published.readEventPublished(eventID: eventID)
                        return Delivery(
                            event: pending.event, state: state, hubID: hubID, published: db.published, policy: policy)
                    }
                }
                return nil
            }
            candidates = remaining
            return won
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
    /// the outcome; meanwhile the lease is renewed. On MariaDB each round of claims runs on one
    /// pinned connection.
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
    /// an outcome (their last hub died) are made dead letters on the way.
    public func deliveries(hubID: String, policy: DeliveryPolicy = DeliveryPolicy()) -> Deliveries {
        Deliveries(db: self, hubID: hubID, policy: policy)
    }
}

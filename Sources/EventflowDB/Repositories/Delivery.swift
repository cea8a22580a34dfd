/// A delivery this hub has won: the event, its state when claimed, and the outcome to report.
///
/// While the caller works, the lease is renewed in the background every third of the policy's
/// lease. Report exactly one outcome: ``succeed()``, ``fail(retryAfter:)`` or ``release()``; each
/// stops the renewals. A delivery dropped without an outcome stops renewing, and its lease ends.
public final class Delivery: Sendable {
    /// The event to deliver.
    public let event: Event
    /// The delivery state right after the claim: held by this hub, this attempt counted.
    public let state: EventPublished
    /// The hub that holds the claim.
    public let hubID: String
    private let published: any EventPublishedRepository
    private let policy: DeliveryPolicy
    private let renewal = LockedState<Task<Void, Never>?>(nil)
    private let lost = LockedState(false)

    init(
        event: Event, state: EventPublished, hubID: String, published: any EventPublishedRepository,
        policy: DeliveryPolicy, clock: any EventflowClock
    ) {
        self.event = event
        self.state = state
        self.hubID = hubID
        self.published = published
        self.policy = policy
        startRenewing(on: clock)
    }

    deinit { renewal.withLock { $0?.cancel() } }

    /// Which attempt this is: 1 for the first claim won.
    public var attempt: Int { state.attempts }

    /// True once a renewal found the claim gone (the lease had ended and another hub claimed it):
    /// the outcome this hub reports will answer `false`.
    public var isLeaseLost: Bool { lost.withLock { $0 } }

    /// Records that the delivery succeeded. False when the claim was lost meanwhile.
    @discardableResult
    public func succeed() async throws -> Bool {
        stopRenewing()
        return try await published.succeedDelivery(eventID: event.id, hubID: hubID)
    }

    /// Records that the delivery failed: pending again after `retryAfter` (by default the
    /// policy's back-off for this attempt) while attempts are below the maximum, else a dead
    /// letter. False when the claim was lost meanwhile.
    @discardableResult
    public func fail(retryAfter: Duration? = nil) async throws -> Bool {
        stopRenewing()
        return try await published.failDelivery(
            eventID: event.id, hubID: hubID, maxAttempts: policy.maxAttempts,
            retryAfter: retryAfter ?? policy.retryAfter(attempt: attempt))
    }

    /// Gives the delivery back without an outcome: pending again now, its attempt counted.
    @discardableResult
    public func release() async throws -> Bool {
        stopRenewing()
        return try await published.releaseDelivery(eventID: event.id, hubID: hubID)
    }

    private func stopRenewing() {
        renewal.withLock {
            $0?.cancel()
            $0 = nil
        }
    }

    /// Renews the lease every third of it, on `clock` (the backend's: virtual on a test clock).
    private func startRenewing(on clock: any EventflowClock) {
        let (published, policy, eventID, hubID, lost) = (published, policy, event.id, hubID, lost)
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: policy.lease / 3)
                    if try await !published.renewLease(eventID: eventID, hubID: hubID, lease: policy.lease) {
                        lost.withLock { $0 = true }
                        return
                    }
                } catch is CancellationError {
                    return
                } catch {
                    // A failed renewal is tried again at the next tick; the lease is three ticks long.
                    continue
                }
            }
        }
        renewal.withLock { $0 = task }
    }
}

public import Foundation

/// Where a published event's delivery stands, derived from its columns at a moment.
///
/// The life of a delivery is pending → claimed (under a lease) → succeeded, or failed and back to
/// pending after a back-off while attempts are below the maximum, or a dead letter at the
/// maximum → pending again (requeued by an operator) or discarded. See <doc:DeliveryLifecycle>.
public enum DeliveryState: Sendable, Hashable {
    /// Waiting for a hub: never claimed, its lease expired, or its back-off after a failure passed.
    case pending
    /// Failed below the maximum attempts; pending again at `until`.
    case waitingForRetry(until: Date)
    /// Held by `hub`. `leaseUntil` is `nil` for a claim made by the original library (it has no
    /// lease and never expires by itself).
    case claimed(hub: String?, leaseUntil: Date?)
    /// Delivered (stamped success).
    case succeeded
    /// Failed at the maximum attempts, or stamped failed by a hub of the original library:
    /// waits for an operator to requeue or discard it.
    case deadLetter
    /// Set aside for good (stamped orphan).
    case discarded
}

extension EventPublished {
    /// The delivery's state at `now`.
    public func state(at now: Date) -> DeliveryState {
        if orphan != nil { return .discarded }
        if success != nil { return .succeeded }
        if failed != nil { return .deadLetter }
        if consumedHub != nil {
            guard let leaseUntil else { return .claimed(hub: hub, leaseUntil: nil) }
            if leaseUntil > now { return .claimed(hub: hub, leaseUntil: leaseUntil) }
            return .pending
        }
        if let retryAt, retryAt > now { return .waitingForRetry(until: retryAt) }
        return .pending
    }
}

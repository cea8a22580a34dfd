public import Foundation

/// One transition of a delivery's state machine, with checked values: what
/// ``EventPublishedRepository/changeDelivery(_:)`` carries out. Each is conditional on the state
/// it starts from; a transition whose condition does not hold changes nothing and answers `false`.
public enum DeliveryChange: Sendable, Hashable {
    /// Pending → claimed by `hub` until now + `lease`, counting one attempt. Pending means
    /// unfinished (no success, failed or orphan stamp), not held (never claimed, or its lease
    /// ended), past any back-off, and with attempts below `maxAttempts`.
    case claim(eventID: Identifier, hub: Identifier, lease: Timeout, maxAttempts: Int)
    /// A claim `hub` holds under a lease (unfinished): its lease ends now + `lease`.
    case renew(eventID: Identifier, hub: Identifier, lease: Timeout)
    /// A claim `hub` holds (unfinished, expired lease included) → succeeded: stamps success.
    case succeed(eventID: Identifier, hub: Identifier)
    /// A claim `hub` holds (unfinished) → pending again after now + `retryAfter` while its attempts
    /// are below `maxAttempts`; at the maximum → a dead letter (stamps failed).
    case fail(eventID: Identifier, hub: Identifier, maxAttempts: Int, retryAfter: Timeout)
    /// A claim `hub` holds under a lease (unfinished) → pending now; the attempt stays counted.
    case release(eventID: Identifier, hub: Identifier)
    /// Pending with attempts at or above `maxAttempts` (a lease that ended on the last attempt)
    /// → a dead letter (stamps failed).
    case exhaust(eventID: Identifier, maxAttempts: Int)
    /// A dead letter exactly as the operator saw it (its failed stamp and attempts) → pending,
    /// with attempts, failure, claim, lease and back-off cleared.
    case requeue(eventID: Identifier, failed: Date, attempts: Int)
    /// A dead letter exactly as the operator saw it → discarded (stamps orphan).
    case discard(eventID: Identifier, failed: Date, attempts: Int)
}

/// Which deliveries ``EventPublishedRepository/fetchDeliveries(_:)`` reads, with checked values.
public enum DeliveryQuery: Sendable, Hashable {
    /// Pending deliveries (never claimed, lease ended, back-off passed; unfinished), published at
    /// or before the cutoff's time (now when nil) and not waiting for a schedule that is not yet
    /// due, by (published, event id), at most the cutoff's limit.
    case pending(Cutoff)
    /// Dead letters (stamped failed, neither succeeded nor discarded), by (published, event id).
    case deadLetters(Page)
    /// The unfinished claims `hub` holds (with a lease or without), by (published, event id).
    case claims(hub: Identifier, Page)
}

/// Which claim of the original library ``EventPublishedRepository/changeConsumed(eventID:by:)``
/// makes.
public enum Consumer: Sendable, Hashable {
    /// `consumed_hub` and `hub`: a hub's claim without a lease.
    case hub(Identifier)
    /// `consumed_spoke` and `consumer`.
    case spoke(Identifier)
}

extension DeliveryChange {
    /// The event whose delivery changes.
    public var eventID: Identifier {
        switch self {
        case .claim(let id, _, _, _), .renew(let id, _, _), .succeed(let id, _), .fail(let id, _, _, _),
            .release(let id, _), .exhaust(let id, _), .requeue(let id, _, _), .discard(let id, _, _):
            id
        }
    }

    /// The error code of a failed transition.
    package var errorCode: EventflowDBError.Code {
        switch self {
        case .claim: .eventPublishedCreate
        case .renew, .release, .exhaust: .eventPublishedUpdateAttempt
        case .fail: .eventPublishedUpdateFailed
        case .succeed: .eventPublishedUpdateSuccess
        case .requeue: .eventPublishedRequeue
        case .discard: .eventPublishedUpdateOrphan
        }
    }
}

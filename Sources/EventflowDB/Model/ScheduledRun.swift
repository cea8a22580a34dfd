import Foundation

/// The states of a scheduled run, as ``ScheduledEvent/state(at:)`` reads them from its columns.
///
/// ```
/// pending ──(due)──▶ due ──(claim won: attempts + 1, lease)──▶ claimed
/// claimed ──(succeed)──▶ succeeded
/// claimed ──(fail, attempts < max)──▶ pending until retryAt (back-off)
/// claimed ──(fail, attempts = max)──▶ dead letter
/// claimed ──(lease expires, attempts < max)──▶ due again (the hub died)
/// claimed ──(lease expires, attempts = max)──▶ dead letter
/// dead letter ──(requeue, as the operator saw it)──▶ pending, attempts 0
/// dead letter ──(discard)──▶ discarded
/// ```
///
/// The original library's columns keep their meaning: `executed` set is a claim (an original
/// hub's claim has no lease and no maximum: it is held until a stamp), `success` a run that
/// succeeded, `failed` a run that failed for good: a dead letter, kept by retention until an
/// operator requeues or discards it.
public enum ScheduledRunState: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its scheduled time (or, after a failure, its retry time).
    case pending
    /// Due and not claimed (or claimed under a lease that expired): a claim can win it.
    case due
    /// Claimed by a hub, under a lease that has not expired (or without a lease).
    case claimed
    /// The run succeeded: finished.
    case succeeded
    /// Failed at the maximum of attempts (or its last lease expired): waits for an operator.
    case deadLetter
    /// A dead letter an operator set aside: finished.
    case discarded
}

/// How a hub runs scheduled events: how many attempts, how long a claim's lease lasts, and how
/// long a failed run waits before it is due again.
public struct ScheduledRunPolicy: Sendable, Hashable {
    /// The most claims a run may win (1–1,000): at this many failures it is a dead letter.
    public var maxAttempts: Int
    /// How long a claim holds the run: a hub that has not finished (or renewed) by then is taken
    /// for dead, and the run is due again (1 ms to a year).
    public var lease: Duration
    /// The wait after the first failure; each further failure doubles it (zero to a year).
    public var backoff: Duration
    /// The longest wait after a failure (zero to a year).
    public var maxBackoff: Duration

    /// A policy; the defaults are 3 attempts, a 30 s lease and a back-off of 1 s doubling up to 5 min.
    public init(
        maxAttempts: Int = 3, lease: Duration = .seconds(30), backoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(300)
    ) {
        self.maxAttempts = maxAttempts
        self.lease = lease
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// The wait after the failure of attempt `attempt` (from 1): `backoff` × 2^(attempt − 1), at
    /// most `maxBackoff`.
    public func backoff(after attempt: Int) -> Duration {
        var wait = backoff
        for _ in 1..<max(1, min(attempt, 40)) {
            wait *= 2
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }

    /// Checks the policy.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming the field.
    package func validate() throws {
        guard (1...1_000).contains(maxAttempts) else {
            throw EventflowDBError.invalid("policy.maxAttempts", "must be from 1 to 1000")
        }
        try Validator.timeout(lease, field: "policy.lease")
        guard lease >= .milliseconds(1) else { throw EventflowDBError.invalid("policy.lease", "must be at least 1 ms") }
        try Validator.timeout(backoff, field: "policy.backoff")
        try Validator.timeout(maxBackoff, field: "policy.maxBackoff")
    }
}

/// Which scheduled runs a read selects (``EventScheduledRepository/fetchScheduledEvents(_:)``).
public enum ScheduledQuery: Sendable, Hashable {
    /// Runs due by the cutoff's time (now when nil), earliest due first: pending runs whose time
    /// (and retry time) has come, and claimed runs whose lease expired below their maximum.
    case due(Cutoff)
    /// Runs claimed at or before the cutoff's time and neither stamped nor discarded, earliest
    /// claim first.
    case unfinished(Cutoff)
    /// Dead letters at the cutoff's time (now when nil), oldest schedule first.
    case deadLetters(Cutoff)
    /// The run of one event (none when it has no schedule).
    case run(Identifier)

    /// The code of the error a backend throws when this read fails.
    public var failureCode: EventflowDBError.Code { .scheduledEventRead }
}

/// A change of a scheduled run (``EventScheduledRepository/changeScheduledRun(_:)``). Each is
/// made only in the state it names, in one atomic step.
public enum ScheduledRunChange: Sendable {
    /// A claim under `policy`: only while the run is due and its attempts are below the policy's
    /// maximum; counts an attempt, sets the lease.
    case claim(Identifier, Validated<ScheduledRunPolicy>)
    /// The original's claim: only while not executed; counts an attempt, without lease or maximum.
    case claimWithoutLease(Identifier)
    /// Extends the lease of the claim numbered `attempt`, while no later claim was won and the
    /// run is not finished.
    case renew(Identifier, attempt: Int, lease: Duration)
    /// Stamps success on the claim numbered `attempt`.
    case succeed(Identifier, attempt: Int)
    /// Records the failure of the claim numbered `attempt`: below the maximum the run is pending
    /// again, due after `backoff`; at the maximum it is a dead letter.
    case fail(Identifier, attempt: Int, backoff: Duration)
    /// The original's stamps: each set once, whatever the state.
    case stamp(Identifier, ScheduledOutcome)
    /// Back to pending with no attempts: only a dead letter whose attempts, claim and failure
    /// times are still those `seen` holds.
    case requeue(Identifier, seen: ScheduledEvent)
    /// Sets a dead letter aside for good.
    case discard(Identifier)

    /// The code of the error a backend throws when this change fails.
    public var failureCode: EventflowDBError.Code {
        switch self {
        case .claim, .claimWithoutLease, .renew, .requeue: .scheduledEventUpdateExecuted
        case .succeed: .scheduledEventUpdateSuccess
        case .fail, .discard: .scheduledEventUpdateFailed
        case .stamp(_, let outcome): outcome.errorCode
        }
    }

    /// The event whose run changes.
    public var eventID: Identifier {
        switch self {
        case .claim(let id, _), .claimWithoutLease(let id), .renew(let id, _, _), .succeed(let id, _),
            .fail(let id, _, _), .stamp(let id, _), .requeue(let id, _), .discard(let id):
            id
        }
    }
}

extension Validated where Input == ScheduledRunPolicy {
    /// Checks a policy.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming the field.
    public init(_ policy: ScheduledRunPolicy) throws {
        try policy.validate()
        self.init(checked: policy)
    }
}

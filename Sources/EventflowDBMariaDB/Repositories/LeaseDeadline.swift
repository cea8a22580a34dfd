import EventflowDB

/// When a held lease must be given up: the moment its take or its last successful renewal was
/// sent, plus the lease's length, minus a margin (``LeaseTiming``). A renewal that succeeds moves
/// it later; one that finds the lease someone else's ends it at once.
///
/// ``expired()`` is the timer: it waits on the clock only, never on a statement, so a renewal
/// stuck in a hung server's connection cannot keep a holder past its deadline.
final class LeaseDeadline: Sendable {
    private struct State {
        var deadline: ContinuousClock.Instant
        var ended = false
        var renewing = 0
    }

    private let state: LockedState<State>

    init(_ deadline: ContinuousClock.Instant) {
        state = LockedState(State(deadline: deadline))
    }

    /// The current deadline.
    var instant: ContinuousClock.Instant { state.withLock { $0.deadline } }

    /// A renewal sent at `sent` succeeded: the deadline moves to `sent + ttl - margin`, unless
    /// it has already passed (a lease given up stays given up).
    func renewed(sentAt sent: ContinuousClock.Instant, timing: LeaseTiming) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard !state.ended, now < state.deadline else { return }
            state.deadline = max(state.deadline, sent + timing.ttl - timing.margin)
        }
    }

    /// A renewal found the lease someone else's.
    func taken() {
        state.withLock { $0.ended = true }
    }

    /// Whether a renewal may start: at most `limit` at once, so renewals stuck on a hung server
    /// do not take every connection of the pool.
    func beginRenewal(limit: Int) -> Bool {
        state.withLock { state in
            guard state.renewing < limit else { return false }
            state.renewing += 1
            return true
        }
    }

    func endRenewal() {
        state.withLock { $0.renewing -= 1 }
    }

    /// Returns once the deadline has passed or the lease was found taken (checked at least every
    /// `interval`), or when the waiting task is cancelled.
    func expired(checkingEvery interval: Duration) async {
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let (deadline, ended): (ContinuousClock.Instant, Bool) = state.withLock { state in
                if now >= state.deadline { state.ended = true }
                return (state.deadline, state.ended)
            }
            if ended { return }
            try? await Task.sleep(until: min(deadline, now + interval), clock: .continuous)
        }
    }
}

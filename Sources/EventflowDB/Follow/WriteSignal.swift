/// Tells waiting followers of one process that a write of that process committed: a count of
/// writes, and the tasks waiting for it to pass a value. A hint, never the source of truth: a
/// follower re-reads after it wakes, and wakes after its timeout anyway.
package final class WriteSignal: Sendable {
    private struct State {
        var count: UInt64 = 0
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Waits that started and have not returned yet.
        var active: Set<UInt64> = []
        /// Active waits whose timeout or cancellation came before they registered.
        var expired: Set<UInt64> = []
    }

    private let state = LockedState(State())
    /// What a wait's timeout is measured on: virtual on a ``ManualClock``.
    private let clock: any EventflowClock

    /// A signal with no writes yet, whose waits time out on `clock`.
    package init(clock: any EventflowClock = SystemClock()) {
        self.clock = clock
    }

    /// How many writes were signalled so far.
    package var count: UInt64 { state.withLock { $0.count } }

    /// Counts a committed write and wakes every waiter.
    package func signal() {
        let woken = state.withLock { state in
            state.count += 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the count is above `seen`, after `timeout` on the signal's clock, or when the
    /// task is cancelled, whichever comes first.
    package func wait(after seen: UInt64, timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.active.insert(state.nextID)
            return state.nextID
        }
        let timer = Task { [weak self, clock] in
            guard (try? await clock.sleep(for: timeout)) != nil else { return }
            self?.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.count > seen || Task.isCancelled || state.expired.contains(id) { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            resume(id)
        }
        timer.cancel()
        state.withLock { state in
            state.active.remove(id)
            state.expired.remove(id)
            state.waiters.removeValue(forKey: id)
        }
    }

    /// Ends one wait early: resumes it, or marks it so that it does not start waiting.
    private func resume(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.active.contains(id) else { return nil }
            guard let waiter = state.waiters.removeValue(forKey: id) else {
                state.expired.insert(id)
                return nil
            }
            return waiter
        }
        waiter?.resume()
    }
}

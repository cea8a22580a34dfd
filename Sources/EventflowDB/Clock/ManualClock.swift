public import Foundation

/// A clock that moves only when told to: virtual time for tests. Safe to share between tasks.
///
/// Every wait of the library that reads this clock (due events, back-offs, lock waits on the
/// fakes) sleeps in its time: a sleeper wakes when ``advance(by:)`` or ``set(_:)`` moves the
/// time to or past its deadline, so a test advances an hour in microseconds.
///
/// ```swift
/// let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
/// async let woke: Void = clock.sleep(for: .seconds(60))
/// await clock.advance(untilSleepers: 1)  // wait until the sleeper is registered
/// clock.advance(by: 60)                  // it wakes now
/// try await woke
/// ```
public final class ManualClock: EventflowClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
    }

    private let state: LockedState<State>

    /// Creates a clock that reads `now`.
    public init(now: Date = Date()) {
        state = LockedState(State(now: now))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Sets the time, waking the sleepers whose deadline it reaches.
    public func set(_ date: Date) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now = date
            let due = state.sleepers.filter { $0.deadline <= date }
            state.sleepers.removeAll { $0.deadline <= date }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Moves the time forward (or back, for a negative interval), waking the sleepers whose
    /// deadline it reaches.
    public func advance(by seconds: TimeInterval) {
        set(now().addingTimeInterval(seconds))
    }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Waits (in real time, yielding) until at least `count` tasks sleep on this clock, so a
    /// test advances time only once the code under test is waiting.
    public func advance(untilSleepers count: Int) async {
        while sleeperCount < count { await Task.yield() }
    }

    /// Sleeps until the time has been advanced by `duration` (at once for zero or less).
    public func sleep(for duration: Duration) async throws {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        try await sleep(until: nil, orFor: seconds)
    }

    /// Sleeps until the time reaches `deadline` (at once when it has).
    public func sleep(until deadline: Date) async throws {
        try await sleep(until: deadline, orFor: 0)
    }

    /// Sleeps until `deadline`, or when nil until `seconds` after the time at which the sleeper
    /// registers.
    private func sleep(until fixed: Date?, orFor seconds: TimeInterval) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    let deadline = fixed ?? state.now.addingTimeInterval(seconds)
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}

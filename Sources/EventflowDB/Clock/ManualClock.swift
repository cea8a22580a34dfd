public import Foundation

/// A clock that moves only when told to. Safe to share between tasks.
///
/// ```swift
/// let clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
/// clock.advance(by: 60)
/// ```
public final class ManualClock: EventflowClock {
    private let current: LockedState<Date>

    /// Creates a clock that reads `now`.
    public init(now: Date = Date()) {
        current = LockedState(now)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Sets the time.
    public func set(_ date: Date) { current.withLock { $0 = date } }

    /// Moves the time forward (or back, for a negative interval).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

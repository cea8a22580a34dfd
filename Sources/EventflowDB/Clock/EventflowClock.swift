public import Foundation

/// Where the library reads "now" from, and how it waits: the system clock in production, a
/// ``ManualClock`` in tests, so a test moves time instead of waiting for it.
public protocol EventflowClock: Sendable {
    /// The current time.
    func now() -> Date

    /// Suspends for `duration` of this clock's time: real time for the system clock, until the
    /// time is advanced past it for a manual one.
    ///
    /// - Throws: `CancellationError` when the task is cancelled meanwhile.
    func sleep(for duration: Duration) async throws
}

extension EventflowClock {
    /// Sleeps in real time.
    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

/// The system's wall clock.
public struct SystemClock: EventflowClock {
    public init() {}
    public func now() -> Date { Date() }
}

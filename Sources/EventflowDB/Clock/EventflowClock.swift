public import Foundation

/// Where the repositories get "now" from. Inject a ``ManualClock`` in tests to control time.
public protocol EventflowClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: EventflowClock {
    public init() {}
    public func now() -> Date { Date() }
}

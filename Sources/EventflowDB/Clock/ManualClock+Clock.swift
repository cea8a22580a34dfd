public import Foundation

extension ManualClock {
    /// This clock as a Swift `Clock`, for the waits of your own code under test: pass it where
    /// your hub takes `some Clock<Duration>` (`Task.sleep(for:tolerance:clock:)`,
    /// `clock.sleep(until:)`), and its sleeps end when the test advances this clock, together
    /// with the library's.
    ///
    /// ```swift
    /// let manual = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
    /// let clock = manual.swiftClock
    /// let waited = Task { try await Task.sleep(for: .seconds(30), clock: clock) }
    /// await manual.advance(untilSleepers: 1)
    /// manual.advance(by: 30)  // the sleep ends now
    /// try await waited.value
    /// ```
    public var swiftClock: SwiftClock { SwiftClock(manual: self) }

    /// A Swift `Clock` whose time is a ``ManualClock``'s: see ``ManualClock/swiftClock``.
    public struct SwiftClock: Clock, Sendable {
        /// A point of the manual clock's time.
        public struct Instant: InstantProtocol, Sendable {
            /// Seconds since 1970, as the manual clock's `Date`.
            public let date: Date

            public func advanced(by duration: Duration) -> Instant {
                Instant(date: date.addingTimeInterval(Self.seconds(duration)))
            }

            public func duration(to other: Instant) -> Duration {
                .nanoseconds(Int64(((other.date.timeIntervalSince(date)) * 1e9).rounded()))
            }

            public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.date < rhs.date }

            static func seconds(_ duration: Duration) -> TimeInterval {
                Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            }
        }

        let manual: ManualClock

        public var now: Instant { Instant(date: manual.now()) }

        /// A millisecond: what the library's stored times keep.
        public var minimumResolution: Duration { .milliseconds(1) }

        /// Sleeps until the manual clock reaches `deadline` (at once when it has).
        public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
            try await manual.sleep(until: deadline.date)
        }
    }
}

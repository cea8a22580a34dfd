/// How long a cluster lease lasts, how often its holder renews it, and how long before the
/// lease's end (as the holder reckons it) the holder gives it up.
///
/// The holder reckons the end from the moment it *sent* the take or the last renewal that
/// succeeded: the server's `NOW(6)` when it ran the statement is later, so the lease on the
/// server ends later still. ``margin`` covers the time a cancelled body takes to end and the
/// nodes' clocks disagreeing.
package struct LeaseTiming: Sendable, Equatable {
    /// How long a take or a renewal holds the lease on the server.
    package var ttl: Duration
    /// How often the holder renews.
    package var renewInterval: Duration
    /// How long before the lease's end the holder cancels its body and fails.
    package var margin: Duration

    package init(ttl: Duration, renewInterval: Duration, margin: Duration) {
        precondition(renewInterval > .zero && margin > .zero && renewInterval + margin < ttl)
        self.ttl = ttl
        self.renewInterval = renewInterval
        self.margin = margin
    }

    /// A 10 s lease renewed every second, given up 2 s before its end.
    package static let standard = LeaseTiming(ttl: .seconds(10), renewInterval: .seconds(1), margin: .seconds(2))

    /// The lease's length in whole microseconds, as the SQL binds it.
    var ttlMicroseconds: Int64 {
        let (seconds, attoseconds) = ttl.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

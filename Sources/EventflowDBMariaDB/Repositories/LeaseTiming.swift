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

    /// A 30 s lease renewed every second, given up 5 s before its end. Commits on a cluster can
    /// stall for several seconds (6–9 s measured while Galera evicts a failed or hung node, longer
    /// behind DDL): a shorter lease would be lost by every healthy holder then.
    package static let standard = LeaseTiming(ttl: .seconds(30), renewInterval: .seconds(1), margin: .seconds(5))

    /// The migration lease: 120 s, renewed every second, given up 20 s before its end. Its
    /// renewals queue behind DDL, which Galera runs in total order across the cluster (every
    /// database's migrations): under load one can wait far longer than a 10 s lease allows. A
    /// migrator that dies holds the others back for at most 120 s (they wait up to 300 s).
    package static let migration = LeaseTiming(ttl: .seconds(120), renewInterval: .seconds(1), margin: .seconds(20))

    /// The lease's length in whole microseconds, as the SQL binds it.
    var ttlMicroseconds: Int64 {
        let (seconds, attoseconds) = ttl.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

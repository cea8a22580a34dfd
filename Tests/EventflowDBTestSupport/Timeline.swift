import EventflowDB

/// Named instants noted by concurrent tasks, for tests that report when things happened (a
/// lock's body cancelled, another holder acquiring) relative to a fault.
public final class Timeline: Sendable {
    private let instants = LockedState<[String: ContinuousClock.Instant]>([:])

    public init() {}

    /// Notes `name` as now.
    public func note(_ name: String) {
        let now = ContinuousClock.now
        instants.withLock { $0[name] = now }
    }

    /// Seconds from `start` to `name`, when both were noted.
    public func seconds(_ name: String, after start: String) -> Double? {
        instants.withLock { instants in
            guard let end = instants[name], let begin = instants[start] else { return nil }
            let (seconds, attoseconds) = (end - begin).components
            return Double(seconds) + Double(attoseconds) / 1e18
        }
    }
}

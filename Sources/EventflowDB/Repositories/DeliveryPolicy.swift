/// How a hub's delivery loop (``EventflowDB/deliveries(hubID:policy:)``) claims and retries.
public struct DeliveryPolicy: Sendable, Hashable {
    /// How long a claim is held without renewal; the loop renews it every third of it while the
    /// caller works. When a hub dies, its deliveries are pending again this long after the last
    /// renewal. 1 second to 1 year.
    public var lease: Duration
    /// Attempts (claims won) after which a failed delivery is a dead letter. 1–10,000.
    public var maxAttempts: Int
    /// The back-off after the first failure; it doubles with each further attempt, up to
    /// ``maxBackoff``. Zero to 1 year.
    public var backoff: Duration
    /// The longest back-off. Zero to 1 year.
    public var maxBackoff: Duration
    /// How many pending deliveries one read looks at: a restarting hub's own claims, and those
    /// at the maximum of attempts the loop makes dead letters when it has nothing to claim.
    /// 1–10,000.
    public var batchSize: Int
    /// The longest the loop waits before looking again when nothing is pending: a publish of
    /// this process, or on MariaDB of another (through the binary log), wakes it earlier.
    /// 1 ms to 1 year.
    public var pollInterval: Duration

    /// A policy; the defaults suit a hub that delivers within seconds.
    public init(
        lease: Duration = .seconds(30), maxAttempts: Int = 5, backoff: Duration = .seconds(1),
        maxBackoff: Duration = .seconds(300), batchSize: Int = 100, pollInterval: Duration = .milliseconds(200)
    ) {
        self.lease = lease
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
        self.batchSize = batchSize
        self.pollInterval = pollInterval
    }

    /// The back-off after a failure of attempt `attempt` (1 for the first):
    /// ``backoff`` × 2^(attempt − 1), at most ``maxBackoff``.
    public func retryAfter(attempt: Int) -> Duration {
        var delay = backoff
        for _ in 1..<max(1, min(attempt, 64)) {
            if delay >= maxBackoff { break }
            delay = delay * 2
        }
        return min(delay, maxBackoff)
    }

    /// Throws ``EventflowDBError/Code/invalidInput`` naming the first field out of range.
    package func validate() throws {
        try Validator.timeout(lease, field: "policy.lease")
        guard lease >= .seconds(1) else { throw EventflowDBError.invalid("policy.lease", "must be at least 1 second") }
        guard (1...10_000).contains(maxAttempts) else {
            throw EventflowDBError.invalid("policy.maxAttempts", "must be 1 to 10000")
        }
        try Validator.timeout(backoff, field: "policy.backoff")
        try Validator.timeout(maxBackoff, field: "policy.maxBackoff")
        try Validator.limit(batchSize, field: "policy.batchSize")
        try Validator.timeout(pollInterval, field: "policy.pollInterval")
        guard pollInterval >= .milliseconds(1) else {
            throw EventflowDBError.invalid("policy.pollInterval", "must be at least 1 ms")
        }
    }
}

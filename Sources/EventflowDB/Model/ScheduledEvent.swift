public import Foundation

/// A schedule to record with ``EventScheduledRepository/persistEventScheduled(_:)``.
public struct NewEventScheduled: Sendable, Equatable, Codable {
    public var eventID: String
    /// When it is due. Stored with second precision.
    public var scheduled: Date

    public init(eventID: String, scheduled: Date) {
        self.eventID = eventID
        self.scheduled = scheduled
    }
}

/// A scheduled event with the identity of its event, and the state of its run. Times are UTC;
/// the original's columns have second precision, the lease and retry times milliseconds.
///
/// ``state(at:)`` names the state of the run (see ``ScheduledRunState``).
public struct ScheduledEvent: Sendable, Equatable, Codable {
    public var eventID: String
    /// The event's domain, pid and name, which a hub needs to dispatch it.
    public var domain: String
    public var pid: String
    public var name: String
    /// When the schedule was recorded.
    public var timestamp: Date
    /// When it is due.
    public var scheduled: Date
    /// When the current claim was won; nil while the run is pending.
    public var executed: Date?
    /// When the run succeeded.
    public var success: Date?
    /// When the run failed for good (a dead letter until requeued or discarded).
    public var failed: Date?
    /// How many claims were won: the attempt number of the current (or last) claim.
    public var attempts: Int
    /// The most attempts the last claim allowed; nil for a claim without a maximum (the
    /// original's claim, ``EventScheduledRepository/updateEventScheduledExecuted(eventID:)``).
    public var maxAttempts: Int?
    /// When the current claim's lease ends; nil for a claim without a lease.
    public var leaseExpires: Date?
    /// A run that failed and is retried is due again from then.
    public var retryAt: Date?
    /// When an operator discarded the dead letter.
    public var discarded: Date?

    public init(
        eventID: String, domain: String, pid: String, name: String, timestamp: Date, scheduled: Date,
        executed: Date? = nil, success: Date? = nil, failed: Date? = nil, attempts: Int = 0,
        maxAttempts: Int? = nil, leaseExpires: Date? = nil, retryAt: Date? = nil, discarded: Date? = nil
    ) {
        self.eventID = eventID
        self.domain = domain
        self.pid = pid
        self.name = name
        self.timestamp = timestamp
        self.scheduled = scheduled
        self.executed = executed
        self.success = success
        self.failed = failed
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.leaseExpires = leaseExpires
        self.retryAt = retryAt
        self.discarded = discarded
    }

    /// The state of the run at `now` (see ``ScheduledRunState`` for how the columns map).
    public func state(at now: Date) -> ScheduledRunState {
        if success != nil { return .succeeded }
        if discarded != nil { return .discarded }
        if failed != nil { return .deadLetter }
        guard executed != nil else {
            let due = max(scheduled, retryAt ?? scheduled)
            return due <= now ? .due : .pending
        }
        guard let leaseExpires, leaseExpires <= now else { return .claimed }
        if let maxAttempts, attempts >= maxAttempts { return .deadLetter }
        return .due
    }
}

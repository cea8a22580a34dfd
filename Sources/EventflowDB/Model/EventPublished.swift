public import Foundation

/// A publication to record with ``EventPublishedRepository/persistEventPublished(_:)``.
public struct NewEventPublished: Sendable, Equatable, Codable {
    public var eventID: String
    /// Who published it.
    public var publisher: String
    /// The intended consumer, if known.
    public var consumer: String?
    /// The hub it went through, if known. Must be a registered hub.
    public var hub: String?

    public init(eventID: String, publisher: String, consumer: String? = nil, hub: String? = nil) {
        self.eventID = eventID
        self.publisher = publisher
        self.consumer = consumer
        self.hub = hub
    }
}

/// The delivery state of a published event. Times are UTC with second precision.
public struct EventPublished: Sendable, Equatable, Codable {
    public var eventID: String
    public var published: Date
    public var publisher: String
    public var consumer: String?
    public var hub: String?
    /// When a hub claimed it.
    public var consumedHub: Date?
    /// When a spoke claimed it.
    public var consumedSpoke: Date?
    public var success: Date?
    public var failed: Date?
    public var orphan: Date?
    /// How many claims with a lease were won: each is one delivery attempt
    /// (``EventPublishedRepository/claimDelivery(eventID:hubID:lease:maxAttempts:)``).
    public var attempts: Int
    /// When the current claim's lease ends; `nil` when no claim with a lease is held. A claim
    /// stamped in ``consumedHub`` without a lease was made by a hub of the original library: it
    /// never expires by itself.
    public var leaseUntil: Date?
    /// When a delivery that failed below its maximum attempts may be claimed again.
    public var retryAt: Date?

    public init(
        eventID: String, published: Date, publisher: String, consumer: String? = nil, hub: String? = nil,
        consumedHub: Date? = nil, consumedSpoke: Date? = nil, success: Date? = nil, failed: Date? = nil,
        orphan: Date? = nil, attempts: Int = 0, leaseUntil: Date? = nil, retryAt: Date? = nil
    ) {
        self.eventID = eventID
        self.published = published
        self.publisher = publisher
        self.consumer = consumer
        self.hub = hub
        self.consumedHub = consumedHub
        self.consumedSpoke = consumedSpoke
        self.success = success
        self.failed = failed
        self.orphan = orphan
        self.attempts = attempts
        self.leaseUntil = leaseUntil
        self.retryAt = retryAt
    }
}

public import Foundation

/// A published event no hub has consumed yet, with the event itself: what a hub redelivers,
/// without a second read per event.
public struct PendingDelivery: Sendable, Equatable {
    /// The event.
    public var event: Event
    /// Its delivery state (attempts included).
    public var delivery: EventPublished

    public init(event: Event, delivery: EventPublished) {
        self.event = event
        self.delivery = delivery
    }

    /// The cursor that starts the page after this one.
    public var cursor: DeliveryCursor { DeliveryCursor(published: delivery.published, eventID: delivery.eventID) }
}

/// Where a page of pending deliveries starts: after the delivery published at this time with
/// this event id (pending deliveries are ordered by both).
public struct DeliveryCursor: Sendable, Hashable {
    public let published: Date
    public let eventID: String

    public init(published: Date, eventID: String) {
        self.published = published
        self.eventID = eventID
    }
}

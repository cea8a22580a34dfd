public import Foundation

/// A published event no hub has consumed yet, with the event itself: what a hub redelivers,
/// without a second read per event.
public struct PendingDelivery: Sendable, Equatable {
    /// The event.
    public var event: Event
    /// Its delivery state (attempts included).
    public var delivery: EventPublished

    /// A pending delivery of `event` in the state `delivery`.
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
    /// The last delivery's publication time.
    public let published: Date
    /// The last delivery's event id.
    public let eventID: String

    /// A cursor after the delivery of `eventID` published at `published`.
    public init(published: Date, eventID: String) {
        self.published = published
        self.eventID = eventID
    }
}

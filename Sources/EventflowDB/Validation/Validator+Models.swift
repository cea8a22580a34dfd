import Foundation

extension Validator {
    /// Checks an event to persist; returns its data as compact JSON text.
    @discardableResult
    package static func validate(_ event: NewEvent) throws -> [UInt8] {
        try validateFields(event)
        return try json(event.data, field: "event.data")
    }

    /// The same checks as ``validate(_:)-(NewEvent)`` without writing the data's text.
    package static func validateWithoutText(_ event: NewEvent) throws {
        try validateFields(event)
        try jsonWithoutText(event.data, field: "event.data")
    }

    private static func validateFields(_ event: NewEvent) throws {
        try optionalIdentifier(event.id, field: "event.id")
        try identifier(event.domain, field: "event.domain")
        try identifier(event.pid, field: "event.pid")
        try identifier(event.name, field: "event.name")
        try optionalIdentifier(event.rid, field: "event.rid")
        if let timestamp = event.timestamp { try date(timestamp, field: "event.timestamp") }
    }

    /// Checks a whole publication; returns the event's data as compact JSON text.
    @discardableResult
    package static func validate(_ publication: Publication) throws -> [UInt8] {
        let data = try validate(publication.event)
        try validateDelivery(publication)
        return data
    }

    /// The same checks as ``validate(_:)-(Publication)`` without writing the data's text.
    package static func validateWithoutText(_ publication: Publication) throws {
        try validateWithoutText(publication.event)
        try validateDelivery(publication)
    }

    private static func validateDelivery(_ publication: Publication) throws {
        try identifier(publication.publisher, field: "publication.publisher")
        try optionalIdentifier(publication.consumer, field: "publication.consumer")
        try optionalIdentifier(publication.hub, field: "publication.hub")
        if let scheduled = publication.scheduled { try date(scheduled, field: "publication.scheduled") }
        for cpid in publication.cpids {
            try identifier(cpid.domain, field: "publication.cpids.domain")
            try identifier(cpid.cpid, field: "publication.cpids.cpid")
        }
        for eid in publication.eids { try identifier(eid, field: "publication.eids") }
    }

    package static func validate(_ published: NewEventPublished) throws {
        try identifier(published.eventID, field: "published.eventID")
        try identifier(published.publisher, field: "published.publisher")
        try optionalIdentifier(published.consumer, field: "published.consumer")
        try optionalIdentifier(published.hub, field: "published.hub")
    }

    package static func validate(_ scheduled: NewEventScheduled) throws {
        try identifier(scheduled.eventID, field: "scheduled.eventID")
        try date(scheduled.scheduled, field: "scheduled.scheduled")
    }

    package static func validate(_ hub: NewHub) throws {
        try identifier(hub.id, field: "hub.id")
        try ipAddress(hub.externalIP, field: "hub.externalIP")
        try port(hub.externalPort, field: "hub.externalPort")
        try ipAddress(hub.internalIP, field: "hub.internalIP")
        try port(hub.internalPort, field: "hub.internalPort")
    }

    package static func validate(_ certificate: Certificate) throws {
        try identifier(certificate.id, field: "certificate.id")
        try date(certificate.validity, field: "certificate.validity")
        try asciiText(certificate.cert, field: "certificate.cert")
        try bytes(certificate.key, field: "certificate.key", maximumBytes: maximumTextBytes)
        try bytes(certificate.pass, field: "certificate.pass", maximumBytes: maximumTextBytes)
        let small: [(String, [UInt8])] = [
            ("certificate.keyIV", certificate.keyIV), ("certificate.keySalt", certificate.keySalt),
            ("certificate.keyTag", certificate.keyTag), ("certificate.passIV", certificate.passIV),
            ("certificate.passSalt", certificate.passSalt), ("certificate.passTag", certificate.passTag),
        ]
        for (field, value) in small { try bytes(value, field: field, maximumBytes: maximumCryptoFieldBytes) }
    }

    /// Checks a log line; returns its error as compact JSON text.
    @discardableResult
    package static func validate(_ entry: NewLogEntry) throws -> [UInt8] {
        try identifier(entry.agent, field: "log.agent")
        try text(entry.message, field: "log.message")
        return try json(entry.error, field: "log.error")
    }
}

/// An input (an event, a publication, a hub, a certificate, a log line, ...) that passed the
/// input rules, with its JSON document encoded once.
///
/// Only this module creates values of this type, through the initialisers below, so a backend
/// that receives one knows the input was checked and does not check again.
@dynamicMemberLookup
public struct Validated<Input: Sendable>: Sendable {
    /// The input as given.
    public let input: Input
    /// The compact JSON text of the input's JSON document (an event's `data`, a log line's
    /// `error`), encoded while checking it; empty for inputs without one.
    public let json: [UInt8]

    /// An input that is known to be checked: a part of a checked whole (a publication's
    /// delivery record, for example).
    package init(checked input: Input, json: [UInt8] = []) {
        self.input = input
        self.json = json
    }

    /// A property of the input.
    public subscript<Value>(dynamicMember keyPath: KeyPath<Input, Value>) -> Value {
        input[keyPath: keyPath]
    }
}

extension Validated where Input == NewEvent {
    /// Checks an event and encodes its data.
    ///
    /// - Throws: ``EventflowDBError/Code/invalidInput`` naming the field.
    public init(_ event: NewEvent) throws { self.init(checked: event, json: try Validator.validate(event)) }
}

extension Validated where Input == Publication {
    /// Checks a publication and encodes its event's data.
    public init(_ publication: Publication) throws {
        self.init(checked: publication, json: try Validator.validate(publication))
    }

    /// The publication's event, checked with it.
    public var checkedEvent: Validated<NewEvent> { Validated<NewEvent>(checked: input.event, json: json) }
}

extension Validated where Input == NewLogEntry {
    /// Checks a log line and encodes its error.
    public init(_ entry: NewLogEntry) throws { self.init(checked: entry, json: try Validator.validate(entry)) }
}

extension Validated where Input == NewEventPublished {
    /// Checks a delivery record.
    public init(_ published: NewEventPublished) throws {
        try Validator.validate(published)
        self.init(checked: published)
    }
}

extension Validated where Input == NewEventScheduled {
    /// Checks a schedule.
    public init(_ scheduled: NewEventScheduled) throws {
        try Validator.validate(scheduled)
        self.init(checked: scheduled)
    }
}

extension Validated where Input == NewHub {
    /// Checks a hub.
    public init(_ hub: NewHub) throws {
        try Validator.validate(hub)
        self.init(checked: hub)
    }
}

extension Validated where Input == Certificate {
    /// Checks a certificate.
    public init(_ certificate: Certificate) throws {
        try Validator.validate(certificate)
        self.init(checked: certificate)
    }
}

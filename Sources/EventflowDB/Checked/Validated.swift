/// An input (an event, a publication, a hub, a certificate, a log line, ...) that passed the
/// input rules, its JSON document included (finite numbers, depth, size).
///
/// Only this module creates values of this type, through the initialisers below, so a backend
/// that receives one knows the input was checked and does not check again.
@dynamicMemberLookup
public struct Validated<Input: Sendable>: Sendable {
    /// The input as given.
    public let input: Input
    /// Writes the input's JSON document as compact text.
    private let encode: @Sendable (Input) -> [UInt8]

    /// The compact JSON text of the input's JSON document (an event's `data`, a log line's
    /// `error`); empty for inputs without one. Written when asked for: a backend that stores
    /// text asks once, one that keeps the value (the fakes) never pays for it.
    public var json: [UInt8] { encode(input) }

    /// An input that is known to be checked: a part of a checked whole (a publication's
    /// delivery record, for example), with the function that writes its JSON.
    package init(checked input: Input, encode: @escaping @Sendable (Input) -> [UInt8] = { _ in [] }) {
        self.input = input
        self.encode = encode
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
    public init(_ event: NewEvent) throws {
        try Validator.validateWithoutText(event)
        self.init(checked: event, encode: { $0.data.jsonBytes })
    }
}

extension Validated where Input == Publication {
    /// Checks a publication and encodes its event's data.
    public init(_ publication: Publication) throws {
        try Validator.validateWithoutText(publication)
        self.init(checked: publication, encode: { $0.event.data.jsonBytes })
    }

    /// The publication's event, checked with it.
    public var checkedEvent: Validated<NewEvent> {
        Validated<NewEvent>(checked: input.event, encode: { $0.data.jsonBytes })
    }
}

extension Validated where Input == NewLogEntry {
    /// Checks a log line and encodes its error.
    public init(_ entry: NewLogEntry) throws {
        try Validator.validate(entry)
        self.init(checked: entry, encode: { $0.error.jsonBytes })
    }
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

public import Foundation

/// A value the original Node.js library wrote with its serializer on: an object
/// `{"$type": …, "$value": …}` standing for a JavaScript `Date`, `Map`, `Set` or `Error`.
///
/// ```swift
/// if case .date(let when)? = event.data["created"]?.tagged { … }
/// ```
public enum TaggedValue: Sendable, Hashable {
    /// A JavaScript `Date`.
    case date(Date)
    /// A JavaScript `Map`, as its `[key, value]` pairs in order.
    case map([MapEntry])
    /// A JavaScript `Set`, as its elements in order.
    case set([JSONValue])
    /// A JavaScript `Error`: its name, message and every other property.
    case error(TaggedError)

    /// One entry of a tagged `Map`.
    public struct MapEntry: Sendable, Hashable {
        public var key: JSONValue
        public var value: JSONValue
        public init(key: JSONValue, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// A tagged JavaScript `Error`.
    public struct TaggedError: Sendable, Hashable {
        /// `error.name`, `"Error"` when absent.
        public var name: String
        /// `error.message`, empty when absent.
        public var message: String
        /// Every property as written, including name and message.
        public var properties: [String: JSONValue]
        public init(name: String, message: String, properties: [String: JSONValue] = [:]) {
            self.name = name
            self.message = message
            self.properties = properties
        }
    }
}

extension JSONValue {
    /// The tagged value this object stands for, or nil when it is not a well-formed tag.
    public var tagged: TaggedValue? {
        guard case .object(let members) = self, members.count == 2,
            case .string(let type)? = members["$type"], let value = members["$value"]
        else { return nil }
        switch (type, value) {
        case ("Date", .string(let text)):
            return ISO8601Milliseconds.date(from: text).map(TaggedValue.date)
        case ("Map", .array(let pairs)):
            var entries: [TaggedValue.MapEntry] = []
            for pair in pairs {
                guard case .array(let kv) = pair, kv.count == 2 else { return nil }
                entries.append(.init(key: kv[0], value: kv[1]))
            }
            return .map(entries)
        case ("Set", .array(let elements)):
            return .set(elements)
        case ("Error", .object(let properties)):
            return .error(
                .init(
                    name: properties["name"]?.stringValue ?? "Error",
                    message: properties["message"]?.stringValue ?? "",
                    properties: properties))
        default:
            return nil
        }
    }

    /// The tagged form of a value, as the original library's serializer writes it.
    public init(tagging value: TaggedValue) {
        switch value {
        case .date(let date):
            self = ["$type": "Date", "$value": .string(ISO8601Milliseconds.string(from: date))]
        case .map(let entries):
            self = ["$type": "Map", "$value": .array(entries.map { .array([$0.key, $0.value]) })]
        case .set(let elements):
            self = ["$type": "Set", "$value": .array(elements)]
        case .error(let error):
            var properties = error.properties
            properties["name"] = .string(error.name)
            properties["message"] = .string(error.message)
            self = ["$type": "Error", "$value": .object(properties)]
        }
    }

    /// The date this value stands for: a tagged `Date` or an ISO 8601 string.
    public var dateValue: Date? {
        if case .date(let date)? = tagged { return date }
        if case .string(let text) = self { return ISO8601Milliseconds.date(from: text) }
        return nil
    }

    /// A copy in which every tagged `Date`, `Map`, `Set` and `Error` is replaced by the plain JSON
    /// a Swift reader expects: dates become ISO 8601 strings, maps become arrays of pairs, sets
    /// become arrays, errors become their property objects.
    public var untagged: JSONValue {
        if let tagged {
            switch tagged {
            case .date(let date): return .string(ISO8601Milliseconds.string(from: date))
            case .map(let entries): return .array(entries.map { .array([$0.key.untagged, $0.value.untagged]) })
            case .set(let elements): return .array(elements.map(\.untagged))
            case .error(let error): return .object(error.properties.mapValues(\.untagged))
            }
        }
        switch self {
        case .array(let elements): return .array(elements.map(\.untagged))
        case .object(let members): return .object(members.mapValues(\.untagged))
        default: return self
        }
    }
}

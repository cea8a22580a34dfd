import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .double(let double): try container.encode(double)
        case .string(let string): try container.encode(string)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}

extension JSONValue {
    /// Encodes a typed payload into a JSON value.
    ///
    /// Dates are written as the original library's tagged form
    /// (`{"$type":"Date","$value":"2026-01-02T03:04:05.678Z"}`) when `taggedDates` is true,
    /// otherwise as ISO 8601 strings with milliseconds.
    ///
    /// ```swift
    /// struct Order: Codable { var sku: String; var placed: Date }
    /// let data = try JSONValue(encoding: Order(sku: "A1", placed: .now), taggedDates: true)
    /// ```
    public init(encoding value: some Encodable, taggedDates: Bool = false) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            if taggedDates {
                try TaggedDate(date).encode(to: encoder)
            } else {
                var container = encoder.singleValueContainer()
                try container.encode(ISO8601Milliseconds.string(from: date))
            }
        }
        do {
            self = try JSONValue(parsing: try encoder.encode(value))
        } catch let error as EventflowDBError {
            throw error
        } catch {
            throw EventflowDBError.invalid("data", "cannot encode \(type(of: value)) as JSON: \(error)")
        }
    }

    /// Decodes this value into a typed payload.
    ///
    /// `Date` properties accept the original's tagged form, ISO 8601 strings (with or without
    /// milliseconds) and numbers of milliseconds since 1970.
    ///
    /// - Throws: ``EventflowDBError`` with ``EventflowDBError/Code/invalidInput`` when the value
    ///   does not have the shape of `T`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            if let tagged = try? TaggedDate(from: decoder) { return tagged.date }
            let container = try decoder.singleValueContainer()
            if let milliseconds = try? container.decode(Double.self) {
                return Date(timeIntervalSince1970: milliseconds / 1000)
            }
            let text = try container.decode(String.self)
            guard let date = ISO8601Milliseconds.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date")
            }
            return date
        }
        do {
            return try decoder.decode(T.self, from: Data(jsonBytes))
        } catch {
            throw EventflowDBError.invalid("data", "cannot decode \(T.self) from the JSON value: \(error)")
        }
    }
}

/// `{"$type":"Date","$value":"…"}`, the original library's tagged date.
private struct TaggedDate: Codable {
    var date: Date

    init(_ date: Date) { self.date = date }

    private enum CodingKeys: String, CodingKey {
        case type = "$type"
        case value = "$value"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(String.self, forKey: .type) == "Date" else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "not a Date tag")
        }
        let text = try container.decode(String.self, forKey: .value)
        guard let date = ISO8601Milliseconds.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .value, in: container, debugDescription: "not an ISO 8601 date")
        }
        self.date = date
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("Date", forKey: .type)
        try container.encode(ISO8601Milliseconds.string(from: date), forKey: .value)
    }
}

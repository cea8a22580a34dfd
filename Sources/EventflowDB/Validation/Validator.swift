package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The input rules every implementation applies before any I/O, so the fakes and MariaDB reject
/// exactly the same input with exactly the same error.
///
/// Each check throws ``EventflowDBError`` with ``EventflowDBError/Code/invalidInput`` and the
/// field's name.
package enum Validator {
    /// The longest id, domain, pid, name, cpid, eid, agent, publisher or hub id.
    package static let maximumIdentifierLength = 64
    /// The largest `TEXT` or `BLOB` value, in bytes.
    package static let maximumTextBytes = 65_535
    /// The largest iv, salt or tag of a certificate, in bytes.
    package static let maximumCryptoFieldBytes = 16
    /// The largest JSON document (`data`, `error`), in bytes of its compact text.
    package static let maximumJSONBytes = 8 * 1024 * 1024

    /// An id-like value: 1–64 printable ASCII characters, not ending in a space (the database's
    /// collation ignores trailing spaces, so `"a"` and `"a "` would be the same key there).
    package static func identifier(_ value: String, field: String) throws {
        let bytes = value.utf8
        guard !bytes.isEmpty else { throw EventflowDBError.invalid(field, "must not be empty") }
        guard bytes.count <= maximumIdentifierLength else {
            throw EventflowDBError.invalid(
                field, "must be at most \(maximumIdentifierLength) characters, was \(bytes.count) bytes")
        }
        for byte in bytes where byte < 0x20 || byte > 0x7E {
            throw EventflowDBError.invalid(
                field, byte == 0 ? "must not contain a NUL byte" : "must be printable ASCII characters only")
        }
        guard bytes.last != UInt8(ascii: " ") else {
            throw EventflowDBError.invalid(field, "must not end with a space")
        }
    }

    /// An optional identifier: nil passes.
    package static func optionalIdentifier(_ value: String?, field: String) throws {
        if let value { try identifier(value, field: field) }
    }

    /// A date a `DATETIME` column can hold (``InputRange/dates``, years 1000–9999) and a finite one.
    package static func date(_ value: Date, field: String) throws {
        guard InputRange.accepts(value) else {
            throw EventflowDBError.invalid(field, "must be a date between the years 1000 and 9999")
        }
    }

    /// An optional date: nil passes.
    package static func optionalDate(_ value: Date?, field: String) throws {
        if let value { try date(value, field: field) }
    }

    /// Where a page of an event log or the agent log starts: its time is a date.
    package static func cursor(_ value: EventCursor, field: String) throws {
        try date(value.timestamp, field: field + ".timestamp")
    }

    /// Where a page of pending deliveries starts: its time is a date, its event id an identifier.
    package static func cursor(_ value: DeliveryCursor, field: String) throws {
        try date(value.published, field: field + ".published")
        try identifier(value.eventID, field: field + ".eventID")
    }

    /// A JSON document that can be stored: finite numbers only, at most ``JSONValue/maximumDepth``
    /// levels deep, at most ``maximumJSONBytes`` long. Returns its compact text.
    @discardableResult
    package static func json(_ value: JSONValue, field: String) throws -> [UInt8] {
        _ = try checkJSON(value, field: field, depth: 0)
        let bytes = value.jsonBytes
        guard bytes.count <= maximumJSONBytes else {
            throw EventflowDBError.invalid(
                field, "must be at most \(maximumJSONBytes) bytes of JSON, was \(bytes.count)")
        }
        return bytes
    }

    /// The same checks as ``json(_:field:)`` without writing the text: for backends that keep
    /// the value itself.
    package static func jsonWithoutText(_ value: JSONValue, field: String) throws {
        let bound = try checkJSON(value, field: field, depth: 0)
        // The bound counts every string byte as a 6-byte escape: under the limit, no need to count.
        if bound <= maximumJSONBytes { return }
        let count = JSONWriter.byteCount(value)
        guard count <= maximumJSONBytes else {
            throw EventflowDBError.invalid(field, "must be at most \(maximumJSONBytes) bytes of JSON, was \(count)")
        }
    }

    /// Checks numbers and depth; returns an upper bound of the compact text's length.
    private static func checkJSON(_ value: JSONValue, field: String, depth: Int) throws -> Int {
        switch value {
        case .double(let number) where !number.isFinite:
            throw EventflowDBError.invalid(field, "JSON numbers must be finite (no NaN or infinity)")
        case .null, .bool, .integer, .double:
            return 32
        case .string(let string):
            return 2 + 6 * string.utf8.count
        case .array(let elements):
            guard depth < JSONValue.maximumDepth else {
                throw EventflowDBError.invalid(field, "JSON must nest at most \(JSONValue.maximumDepth) levels")
            }
            var bound = 2 + elements.count
            for element in elements { bound += try checkJSON(element, field: field, depth: depth + 1) }
            return bound
        case .object(let members):
            guard depth < JSONValue.maximumDepth else {
                throw EventflowDBError.invalid(field, "JSON must nest at most \(JSONValue.maximumDepth) levels")
            }
            var bound = 2 + 2 * members.count
            for (key, member) in members {
                bound += 2 + 6 * key.utf8.count
                bound += try checkJSON(member, field: field, depth: depth + 1)
            }
            return bound
        }
    }

    /// A TCP port, 0–65535.
    package static func port(_ value: Int, field: String) throws {
        guard (0...65_535).contains(value) else {
            throw EventflowDBError.invalid(field, "must be a port from 0 to 65535")
        }
    }

    /// An IPv4 address in dotted-quad form or an IPv6 address in text form.
    package static func ipAddress(_ value: String, field: String) throws {
        guard !value.isEmpty, value.utf8.count <= 45, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw EventflowDBError.invalid(field, "must be an IPv4 or IPv6 address")
        }
        var buffer = [UInt8](repeating: 0, count: 16)
        let isIPv4 = inet_pton(AF_INET, value, &buffer) == 1
        let isIPv6 = !isIPv4 && inet_pton(AF_INET6, value, &buffer) == 1
        guard isIPv4 || isIPv6 else { throw EventflowDBError.invalid(field, "must be an IPv4 or IPv6 address") }
    }

    /// ASCII text of at most `maximumBytes` bytes, without NUL.
    package static func asciiText(_ value: String, field: String, maximumBytes: Int = maximumTextBytes) throws {
        guard value.utf8.count <= maximumBytes else {
            throw EventflowDBError.invalid(field, "must be at most \(maximumBytes) bytes")
        }
        guard value.utf8.allSatisfy({ $0 != 0 && $0 < 0x80 }) else {
            throw EventflowDBError.invalid(field, "must be ASCII without NUL bytes")
        }
    }

    /// Unicode text of at most `maximumBytes` UTF-8 bytes.
    package static func text(_ value: String, field: String, maximumBytes: Int = maximumTextBytes) throws {
        guard value.utf8.count <= maximumBytes else {
            throw EventflowDBError.invalid(field, "must be at most \(maximumBytes) bytes of UTF-8")
        }
    }

    /// Bytes of at most `maximumBytes`.
    package static func bytes(_ value: [UInt8], field: String, maximumBytes: Int) throws {
        guard value.count <= maximumBytes else {
            throw EventflowDBError.invalid(field, "must be at most \(maximumBytes) bytes, was \(value.count)")
        }
    }

    /// A result limit or page size: ``InputRange/limits``, 1 to 10,000.
    package static func limit(_ value: Int, field: String = "limit") throws {
        guard InputRange.limits.contains(value) else {
            throw EventflowDBError.invalid(field, "must be from 1 to 10000")
        }
    }

    /// The longest timeout an operation accepts: one year.
    package static let maximumTimeout: Duration = InputRange.durations.upperBound

    /// A duration from zero to ``maximumTimeout`` (``InputRange/durations``).
    package static func timeout(_ value: Duration, field: String) throws {
        guard value >= .zero else { throw EventflowDBError.invalid(field, "must not be negative") }
        guard value <= maximumTimeout else { throw EventflowDBError.invalid(field, "must be at most one year") }
    }
}

package import Foundation

/// ISO 8601 in UTC with milliseconds, as JavaScript's `Date.prototype.toJSON` writes it:
/// `2026-01-02T03:04:05.678Z`. Exact to the millisecond (Foundation's format style truncates
/// the binary fraction, so `.678` could come out as `.677`).
package enum ISO8601Milliseconds {
    /// Dates are written within ±100,000 years of 1970 (beyond, and for NaN, the bound is written):
    /// formatting never traps, whatever date it is given.
    static let boundMilliseconds: Double = 3_155_760_000_000_000

    package static func string(from date: Date) -> String {
        let raw = (date.timeIntervalSince1970 * 1000).rounded()
        let bounded = raw.isNaN ? 0 : min(max(raw, -boundMilliseconds), boundMilliseconds)
        let parts = CivilTime.parts(milliseconds: Int64(bounded))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year, 4) + "-" + pad(parts.month, 2) + "-" + pad(parts.day, 2) + "T" + pad(parts.hour, 2) + ":"
            + pad(parts.minute, 2) + ":" + pad(parts.second, 2) + "." + pad(parts.millisecond, 3) + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; nil for anything else.
    package static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<width {
                let byte = bytes[index]
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
                index += 1
            }
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue! else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " "),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        index += 1
        guard let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var millisecond: Int64 = 0
        if expect(".") {
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                if digits < 3 { millisecond = millisecond * 10 + Int64(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<3 where digits < 3 { millisecond *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if expect("Z") {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMins = number(2) else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMins)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let local = CivilTime.date(
            .init(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond
            ))
        return local.addingTimeInterval(TimeInterval(-offsetMinutes * 60))
    }
}

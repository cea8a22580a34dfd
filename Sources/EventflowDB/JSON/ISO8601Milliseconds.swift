import Foundation

/// ISO 8601 in UTC with milliseconds, as JavaScript's `Date.prototype.toJSON` writes it:
/// `2026-01-02T03:04:05.678Z`.
enum ISO8601Milliseconds {
    static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    static func date(from text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) {
            return date
        }
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
    }
}

public import Foundation

/// The UTC day a log archive is named after: `YYYYMMDD`.
public enum LogArchiveDay {
    /// `YYYYMMDD` of `date`'s UTC day.
    public static func string(for date: Date) -> String {
        isoString(for: date).replacingOccurrences(of: "-", with: "")
    }

    /// `YYYY-MM-DD` from `YYYYMMDD`.
    public static func iso(fromDay day: String) -> String {
        guard day.count == 8 else { return day }
        return "\(day.prefix(4))-\(day.dropFirst(4).prefix(2))-\(day.suffix(2))"
    }

    /// The start (00:00 UTC) of the day `YYYYMMDD`; the distant past when malformed.
    public static func date(fromDay day: String) -> Date {
        ISO8601Milliseconds.date(from: iso(fromDay: day) + "T00:00:00.000Z") ?? .distantPast
    }

    /// `YYYY-MM-DD` of `date`'s UTC day.
    public static func isoString(for date: Date) -> String {
        String(ISO8601Milliseconds.string(from: date.truncatedToSeconds).prefix(10))
    }
}

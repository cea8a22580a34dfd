import Foundation

/// The UTC day a log archive is named after: `YYYYMMDD`.
public enum LogArchiveDay {
    /// `YYYYMMDD` of `date`'s UTC day.
    public static func string(for date: Date) -> String {
        isoString(for: date).replacingOccurrences(of: "-", with: "")
    }

    /// `YYYY-MM-DD` of `date`'s UTC day.
    public static func isoString(for date: Date) -> String {
        String(ISO8601Milliseconds.string(from: date.truncatedToSeconds).prefix(10))
    }
}

import Foundation

/// The UTC day a log archive is named after: `YYYYMMDD`.
public enum LogArchiveDay {
    /// `YYYYMMDD` of `date`'s UTC day.
    public static func string(for date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year!, 4) + pad(parts.month!, 2) + pad(parts.day!, 2)
    }

    /// `YYYY-MM-DD` of `date`'s UTC day.
    public static func isoString(for date: Date) -> String {
        let day = string(for: date)
        return "\(day.prefix(4))-\(day.dropFirst(4).prefix(2))-\(day.suffix(2))"
    }
}

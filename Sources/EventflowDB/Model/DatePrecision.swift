package import Foundation

extension Date {
    /// This date truncated to whole milliseconds, the precision of `DATETIME(3)` columns.
    package var truncatedToMilliseconds: Date {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded(.down)
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }

    /// This date truncated to whole seconds, the precision of `DATETIME` columns.
    package var truncatedToSeconds: Date {
        Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down))
    }
}

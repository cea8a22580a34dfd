import CMariaDB
import EventflowDB
import Foundation

/// Converts between `Date` (UTC) and Connector/C's `MYSQL_TIME`, at millisecond precision.
enum MariaDBTime {
    /// 1000-01-01T00:00:00.000Z, the earliest `DATETIME`, in milliseconds since 1970.
    static let earliestMilliseconds: Double = -30_610_224_000_000
    /// 9999-12-31T23:59:59.999Z, the latest `DATETIME` at millisecond precision.
    static let latestMilliseconds: Double = 253_402_300_799_999

    /// The `DATETIME` of `date`; nil for a date no `DATETIME` holds (NaN, infinite, before the
    /// year 1000 or after 9999), whose conversion would trap or bind a wrong date.
    static func time(from date: Date) -> MYSQL_TIME? {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard milliseconds >= earliestMilliseconds, milliseconds <= latestMilliseconds,
            let exact = Int64(exactly: milliseconds)
        else { return nil }
        let parts = CivilTime.parts(milliseconds: exact)
        var time = MYSQL_TIME()
        time.year = UInt32(parts.year)
        time.month = UInt32(parts.month)
        time.day = UInt32(parts.day)
        time.hour = UInt32(parts.hour)
        time.minute = UInt32(parts.minute)
        time.second = UInt32(parts.second)
        time.second_part = UInt(parts.millisecond * 1000)
        time.neg = 0
        time.time_type = MYSQL_TIMESTAMP_DATETIME
        return time
    }

    /// ``time(from:)``, or the error that names a date parameter no `DATETIME` holds.
    static func checkedTime(from date: Date) throws -> MYSQL_TIME {
        guard let time = time(from: date) else {
            throw EventflowDBError(
                .invalidInput, "invalid date parameter: must be a date between the years 1000 and 9999",
                field: "date")
        }
        return time
    }

    static func date(from time: MYSQL_TIME) -> Date {
        let year = Int64(time.year), month = Int64(time.month), day = Int64(time.day)
        let hour = Int64(time.hour), minute = Int64(time.minute), second = Int64(time.second)
        let millisecond = Int64(time.second_part) / 1000
        let parts = CivilTime.Parts(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        return CivilTime.date(parts)
    }
}

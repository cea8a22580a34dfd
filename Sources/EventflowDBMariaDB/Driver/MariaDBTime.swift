import CMariaDB
import EventflowDB
import Foundation

/// Converts between `Date` (UTC) and Connector/C's `MYSQL_TIME`, at millisecond precision.
enum MariaDBTime {
    static func time(from date: Date) -> MYSQL_TIME {
        let parts = CivilTime.parts(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
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

    static func date(from time: MYSQL_TIME) -> Date {
        let year = Int64(time.year), month = Int64(time.month), day = Int64(time.day)
        let hour = Int64(time.hour), minute = Int64(time.minute), second = Int64(time.second)
        let millisecond = Int64(time.second_part) / 1000
        let parts = CivilTime.Parts(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        return CivilTime.date(parts)
    }
}

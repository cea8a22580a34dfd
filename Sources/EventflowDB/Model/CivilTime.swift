package import Foundation

/// UTC calendar arithmetic without a `Calendar`: days since 1970 ⇄ year, month and day in the
/// proleptic Gregorian calendar (Howard Hinnant's days-from-civil algorithm).
package enum CivilTime {
    /// Days since 1970-01-01 of a date.
    package static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Year, month and day of a count of days since 1970-01-01.
    package static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The parts of a millisecond count since 1970, in UTC.
    package struct Parts: Equatable {
        package var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millisecond: Int64

        package init(
            year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millisecond: Int64
        ) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
            self.millisecond = millisecond
        }
    }

    package static func parts(milliseconds: Int64) -> Parts {
        var seconds = milliseconds / 1000
        var millisecond = milliseconds % 1000
        if millisecond < 0 {
            millisecond += 1000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(days: days)
        return Parts(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
            second: secondOfDay % 60, millisecond: millisecond)
    }

    /// The date of UTC parts, at millisecond precision.
    package static func date(_ parts: Parts) -> Date {
        let seconds =
            days(year: parts.year, month: parts.month, day: parts.day) * 86_400 + parts.hour * 3600
            + parts.minute * 60 + parts.second
        return Date(timeIntervalSince1970: Double(seconds * 1000 + parts.millisecond) / 1000)
    }
}

public import Foundation

/// The values every operation accepts, on every backend. Anything else is refused before any
/// I/O with ``EventflowDBError/Code/invalidInput`` naming the argument: no date, duration, limit
/// or cursor a caller passes can trap the process.
///
/// - Dates (timestamps, times to read from or to, cutoffs, cursors' times): finite, from
///   ``earliestDate`` to ``latestDate``, the range of the `DATETIME` columns the tables use.
///   `Date.distantPast` (year 1) is refused; `Date.distantFuture` (year 4001) is accepted.
/// - Limits and page sizes: ``limits`` (1–10,000).
/// - Waits (lock timeouts, a scheduler's longest sleep): ``durations`` (zero to one year).
public enum InputRange {
    /// 1000-01-01T00:00:00Z: the earliest `DATETIME`.
    public static let earliestDate = Date(timeIntervalSince1970: -30_610_224_000)
    /// 9999-12-31T23:59:59Z: the latest `DATETIME` (of whole seconds, the precision of most
    /// columns).
    public static let latestDate = Date(timeIntervalSince1970: 253_402_300_799)
    /// The accepted dates, both ends included.
    public static let dates = earliestDate...latestDate
    /// The accepted row limits and page sizes.
    public static let limits = 1...10_000
    /// The accepted waits.
    public static let durations = Duration.zero...Duration.seconds(31_536_000)

    /// Whether `date` is finite and within ``dates``.
    public static func accepts(_ date: Date) -> Bool {
        date.timeIntervalSince1970.isFinite && dates.contains(date)
    }
}

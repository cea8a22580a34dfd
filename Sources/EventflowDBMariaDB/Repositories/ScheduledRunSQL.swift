import EventflowDB
import Foundation

/// The conditions of the scheduled-run states, as SQL over `event_scheduled s` (and, where named,
/// `event_published p` joined on the event), for ``MariaDBRepository``'s scheduled repository.
/// Every value is bound; only these fixed fragments are spliced.
enum ScheduledRunSQL {
    /// The token a run's claim writes to the published delivery's hub-claim token column, so that
    /// the delivery reads as held by the run (a published claim's token is 32 hex digits).
    static let publishedHold = "scheduled-run"

    /// Not stamped and not discarded.
    static let unfinished: MariaDBQuery = "s.success IS NULL AND s.failed IS NULL AND s.discarded IS NULL"

    /// Due at `time`: unclaimed with its time and retry time come, or claimed under a lease that
    /// expired below its maximum.
    static func due(at time: Date) -> MariaDBQuery {
        """
        \(unfinished) AND ((s.executed IS NULL AND s.scheduled <= \(time) AND \
        (s.retry_at IS NULL OR s.retry_at <= \(time))) OR (s.executed IS NOT NULL AND \
        s.lease_expires <= \(time) AND s.attempts < s.max_attempts))
        """
    }

    /// The event's published delivery is not held by a published claim (`p` joined, or none).
    static let notClaimedByPublished: MariaDBQuery =
        "(p.consumed_hub IS NULL OR p.consumed_hub_claim <=> \(publishedHold))"

    /// A dead letter at `time`: failed for good, or its last lease expired, and not discarded.
    static func deadLetter(at time: Date) -> MariaDBQuery {
        """
        s.success IS NULL AND s.discarded IS NULL AND (s.failed IS NOT NULL OR \
        (s.executed IS NOT NULL AND s.lease_expires <= \(time) AND s.attempts >= s.max_attempts))
        """
    }

    /// The due time a run is ordered by: its scheduled time, or its retry time when later.
    static let dueTime: MariaDBQuery = "GREATEST(s.scheduled, COALESCE(s.retry_at, s.scheduled))"

    /// The runs of `event_scheduled s` with their events, and `p` the published delivery.
    static let from: MariaDBQuery =
        """
        FROM event_scheduled s JOIN event e ON e.id = s.event_id \
        LEFT JOIN event_published p ON p.event_id = s.event_id
        """

    /// One run with its event.
    static func run(_ eventID: String) -> MariaDBQuery {
        """
        SELECT \(unescaped: ScheduledEvent.columns) FROM event_scheduled s JOIN event e ON e.id = s.event_id \
        WHERE s.event_id = \(eventID)
        """
    }

    /// `date` plus `duration`, as a DATETIME(3) holds it.
    static func adding(_ duration: Duration, to date: Date) -> Date {
        let (seconds, attoseconds) = duration.components
        return ReadBound.clamp(date.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18))
    }
}

import EventflowDB
import Foundation

/// What waits in the database: the numbers `status` and `watch` print. Each count is read up to
/// `cap` rows; more shows as `cap+`.
struct Backlog {
    static let cap = 10_000

    var notConsumed: Int
    var due: Int
    var unfinished: Int
    var deadLetters: Int
    var hubs: [Hub]

    static func read(_ db: EventflowDB, at now: Date = Date()) async throws -> Backlog {
        Backlog(
            notConsumed: try await db.published.readEventsPublishedNotConsumed(publishedBefore: now, limit: cap).count,
            due: try await db.scheduled.readEventsScheduled(dueBy: now, limit: cap).count,
            unfinished: try await db.scheduled.readEventsScheduledUnfinished(executedBefore: now, limit: cap).count,
            deadLetters: try await db.published.readDeadLetters(limit: cap).count,
            hubs: try await db.hubs.readOnlineHubs())
    }

    /// `n noun(s)`, with `+` at the cap.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n)\(n >= cap ? "+" : "") \(noun)\(n == 1 ? "" : "s")"
    }

    var waitingLine: String {
        "Waiting: \(Self.count(notConsumed, "published event")) not consumed by a hub, "
            + "\(Self.count(due, "scheduled event")) due, \(unfinished) claimed but unfinished"
    }
}

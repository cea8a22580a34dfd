import EventflowDB
import Foundation
import Testing

/// Seeding and claim races shared by the cluster tests.
enum ClusterLoad {
    /// Publishes `count` events with ids `prefix-0`, `prefix-1`, … (all due now when `scheduled`)
    /// and returns their ids.
    static func seed(
        _ db: EventflowDB, count: Int, scheduled: Bool, prefix: String = "race"
    ) async throws -> Set<String> {
        var ids = Set<String>()
        let due = Date().addingTimeInterval(-1)
        for index in 0..<count {
            let id = try await db.publish(
                NewEvent(id: "\(prefix)-\(index)", domain: "race", pid: "p\(index % 50)", name: "n"),
                publisher: "spoke",
                scheduled: scheduled ? due : nil)
            ids.insert(id)
        }
        return ids
    }

    /// Every hub claims published events until none is left; returns each win a hub was told of.
    static func racePublished(_ hubs: [EventflowDB], deadline: ContinuousClock.Instant) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, hub) in hubs.enumerated() {
                group.addTask {
                    var won: [String] = []
                    while ContinuousClock.now < deadline {
                        let open: [EventPublished]
                        do {
                            open = try await hub.published.readEventsPublishedNotConsumed(
                                publishedBefore: Date().addingTimeInterval(60), limit: 200)
                        } catch {
                            try await Task.sleep(for: .milliseconds(100))  // a node going away
                            continue
                        }
                        if open.isEmpty { break }
                        let start = index * 25 % open.count
                        for state in open[start...] + open[..<start] {
                            let mine = try? await hub.published.updateEventPublishedToConsumedByHub(
                                eventID: state.eventID, hubID: "hub-\(index)")
                            if mine == true { won.append(state.eventID) }
                        }
                    }
                    return won
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
    }

    /// Every hub executes due scheduled events until none is left; returns each win.
    static func raceScheduled(_ hubs: [EventflowDB], deadline: ContinuousClock.Instant) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, hub) in hubs.enumerated() {
                group.addTask {
                    var won: [String] = []
                    while ContinuousClock.now < deadline {
                        let due: [ScheduledEvent]
                        do {
                            due = try await hub.scheduled.readEventsScheduled(dueBy: Date(), limit: 200)
                        } catch {
                            try await Task.sleep(for: .milliseconds(100))
                            continue
                        }
                        if due.isEmpty { break }
                        let start = index * 25 % due.count
                        for event in due[start...] + due[..<start] {
                            let mine = try? await hub.scheduled.updateEventScheduledExecuted(eventID: event.eventID)
                            if mine == true { won.append(event.eventID) }
                        }
                    }
                    return won
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
    }
}

import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Synchronization
import Testing

/// Claims under load: many hubs, each with a pool of its own as separate processes would have.
@Suite("MariaDB: claims under load", .serialized)
struct ClaimLoadTests {
    static let hubCount = 8
    static let eventCount = 2_000

    /// Opens one database handle per hub on `configuration`'s database.
    private static func hubs(_ configuration: MariaDBConfiguration) -> [EventflowDB] {
        var perHub = configuration
        perHub.poolSize = 2
        return (0..<hubCount).map { _ in EventflowDB.mariaDB(configuration: perHub, logger: TestServer.logger) }
    }

    /// Writes `eventCount` events in batches, each with its delivery state (and a schedule when given).
    private static func seed(
        _ configuration: MariaDBConfiguration, scheduledAt: (Int) -> Date?
    ) async throws -> Set<String> {
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        var ids = Set<String>()
        for batch in stride(from: 0, to: eventCount, by: 250) {
            try await pool.withTransaction { connection in
                for index in batch..<min(batch + 250, eventCount) {
                    let id = "load-\(index)"
                    ids.insert(id)
                    _ = try await connection.execute(
                        "INSERT INTO event (id, timestamp, domain, pid, name, data) VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            .string(id), .datetime(Date()), .string("load"), .string("p\(index % 50)"), .string("n"),
                            .string("{}"),
                        ])
                    _ = try await connection.execute(
                        "INSERT INTO event_published (event_id, published, publisher) VALUES (?, ?, ?)",
                        [.string(id), .datetime(Date().truncatedToSeconds), .string("spoke")])
                    if let at = scheduledAt(index) {
                        _ = try await connection.execute(
                            "INSERT INTO event_scheduled (event_id, timestamp, scheduled) VALUES (?, ?, ?)",
                            [.string(id), .datetime(Date().truncatedToSeconds), .datetime(at.truncatedToSeconds)])
                    }
                }
            }
        }
        await pool.close()
        return ids
    }

    @Test("8 hubs racing over 2,000 published events: each consumed by exactly one hub, none left")
    func publishedClaims() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_load", poolSize: 4)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        for index in 0..<Self.hubCount {
            _ = try await setup.hubs.persistHub(
                NewHub(
                    id: "hub-\(index)", externalIP: "10.0.0.\(index)", externalPort: 1, internalIP: "10.0.0.\(index)",
                    internalPort: 1))
        }
        let ids = try await Self.seed(configuration) { _ in nil }
        let hubs = Self.hubs(configuration)
        let deadline = ContinuousClock.now + .seconds(120)

        let wins = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, hub) in hubs.enumerated() {
                group.addTask {
                    var won: [String] = []
                    while ContinuousClock.now < deadline {
                        let open = try await hub.published.readEventsPublishedNotConsumed(
                            publishedBefore: Date().addingTimeInterval(1), limit: 200)
                        if open.isEmpty { break }
                        // Each hub walks the batch from a different place, so they collide often but not always.
                        let rotated = Array(open[(index * 25 % open.count)...] + open[..<(index * 25 % open.count)])
                        for state in rotated
                        where try await hub.published.updateEventPublishedToConsumedByHub(
                            eventID: state.eventID, hubID: "hub-\(index)")
                        {
                            won.append(state.eventID)
                        }
                    }
                    return won
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        for hub in hubs { try await hub.close() }

        let all = wins.flatMap { $0 }
        #expect(all.count == Self.eventCount, "claims won: \(all.count)")
        #expect(Set(all) == ids, "every event consumed")
        #expect(Set(all).count == all.count, "no event consumed twice")
        let left = try await setup.published.readEventsPublishedNotConsumed(
            publishedBefore: Date().addingTimeInterval(1), limit: 10)
        #expect(left.isEmpty)
        print(
            """
            claims under load: \(all.count) events claimed by \(wins.filter { !$0.isEmpty }.count) \
            hubs, \(all.count - Set(all).count) duplicates; wins per \
            hub \(wins.map(\.count))
            """
        )
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("8 hubs polling 2,000 scheduled events as they fall due: each executed by exactly one hub")
    func scheduledClaims() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_load", poolSize: 4)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        // Due over the next 3 seconds: the hubs poll while events fall due.
        let start = Date()
        let ids = try await Self.seed(configuration) { index in start.addingTimeInterval(Double(index % 4)) }
        let hubs = Self.hubs(configuration)
        let deadline = ContinuousClock.now + .seconds(120)

        let wins = try await withThrowingTaskGroup(of: [String].self) { group in
            for hub in hubs {
                group.addTask {
                    var won: [String] = []
                    var idle = 0
                    while ContinuousClock.now < deadline && idle < 30 {
                        let due = try await hub.scheduled.readEventsScheduled(dueBy: Date())
                        if due.isEmpty {
                            idle += 1
                            try await Task.sleep(for: .milliseconds(200))
                            continue
                        }
                        idle = 0
                        for event in due.shuffled()
                        where try await hub.scheduled.updateEventScheduledExecuted(eventID: event.eventID) {
                            won.append(event.eventID)
                        }
                    }
                    return won
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        for hub in hubs { try await hub.close() }

        let all = wins.flatMap { $0 }
        #expect(all.count == Self.eventCount, "executions won: \(all.count)")
        #expect(Set(all) == ids)
        #expect(Set(all).count == all.count, "no scheduled event executed twice")
        #expect(try await setup.scheduled.readEventsScheduled(dueBy: Date().addingTimeInterval(10)).isEmpty)
        print(
            """
            scheduled claims under load: \(all.count) executed, \(all.count - Set(all).count) \
            duplicates; wins per hub \(wins.map(\.count))
            """
        )
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

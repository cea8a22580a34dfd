import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Synchronization
import Testing

/// Exactly-once under load with replies lost at random: the fault proxy cuts a share of the
/// claim and COMMIT replies after the server executed them.
@Suite("MariaDB: lost replies under load", .serialized)
struct LostReplyLoadTests {
    static let hubCount = 8
    static let eventCount = 2_000

    @Test(
        """
        8 hubs racing over 2,000 events with 2% of claim replies cut: \
        each event claimed by exactly one hub that was told so
        """
    )
    func claimRaceWithCutReplies() async throws {
        let fixture = try await LostReplyTests.Fixture.make()
        let hubIDs = (0..<Self.hubCount).map { "race-hub-\($0)" }
        for hub in hubIDs {
            _ = try await fixture.direct.hubs.persistHub(
                NewHub(id: hub, externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 2))
        }
        let ids = (0..<Self.eventCount).map { "race-\($0)" }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = ids[start..<min(start + 500, ids.count)]
            _ = try await fixture.direct.events.persistEvents(
                slice.map { NewEvent(id: $0, domain: "race", pid: "p", name: "n") })
            for id in slice {
                _ = try await fixture.direct.published.persistEventPublished(
                    NewEventPublished(eventID: id, publisher: "spoke"))
            }
        }
        // Each hub has a pool of its own through the proxy, as a separate process would.
        var perHub = fixture.proxied
        perHub.poolSize = 2
        let hubs = hubIDs.map { _ in EventflowDB.mariaDB(configuration: perHub, logger: TestServer.logger) }
        fixture.proxy.arm(.cut, command: .execute, containing: "race-hub-", probability: 0.02)

        let results = try await withThrowingTaskGroup(of: (hub: String, wins: [String], unknownOutcomes: Int).self) {
            group in
            for (index, hub) in hubs.enumerated() {
                group.addTask {
                    var wins: [String] = []
                    var unknown = 0
                    for id in ids.shuffled() {
                        // A hub asks until it gets an answer, retrying the same claim after an unknown outcome.
                        while true {
                            do {
                                if try await hub.published.updateEventPublishedToConsumedByHub(
                                    eventID: id, hubID: hubIDs[index])
                                {
                                    wins.append(id)
                                }
                                break
                            } catch let error as EventflowDBError where error.isConnectionFailure {
                                if error.isOutcomeUnknown { unknown += 1 }
                            }
                        }
                    }
                    return (hubIDs[index], wins, unknown)
                }
            }
            return try await group.reduce(into: [(hub: String, wins: [String], unknownOutcomes: Int)]()) {
                $0.append($1)
            }
        }
        fixture.proxy.disarm()
        let allWins = results.flatMap(\.wins)
        let cuts = fixture.proxy.faultsInjected
        #expect(allWins.count == Self.eventCount, "every event won once")
        #expect(Set(allWins) == Set(ids))
        // The hub each row names is the hub that was told it won.
        var winner: [String: String] = [:]
        for result in results { for id in result.wins { winner[id] = result.hub } }
        var mismatches = 0
        for id in ids where try await fixture.direct.published.readEventPublished(eventID: id).hub != winner[id] {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(
            try await fixture.direct.published.readEventsPublishedNotConsumed(
                publishedBefore: Date().addingTimeInterval(3_600), limit: 10
            ).isEmpty)
        #expect(cuts > 100, "about 2% of 16,000 claims had their reply cut")
        print(
            """
            claim race with cut replies: \(allWins.count) events claimed \
            once, \(cuts) claim replies cut, per hub \(results.map(\.wins.count)), \
            \(results.map(\.unknownOutcomes).reduce(0, +)) calls ended \
            with an unknown outcome and were answered by their retry, \
            \(mismatches) mismatches
            """
        )
        for hub in hubs { try await hub.close() }
        try await fixture.close()
    }

    @Test(
        """
        4 spokes publishing 300 events with 5% of COMMIT replies cut: \
        every returned id stored once, nothing stored twice
        """
    )
    func publishWithCutCommits() async throws {
        let fixture = try await LostReplyTests.Fixture.make(poolSize: 4)
        fixture.proxy.arm(.cut, command: .query, containing: "COMMIT", probability: 0.05)
        let outcomes = try await withThrowingTaskGroup(of: (returned: [String], unknown: [String]).self) { group in
            for spoke in 0..<4 {
                group.addTask {
                    var returned: [String] = []
                    var unknown: [String] = []
                    for index in 0..<75 {
                        let pid = "spoke-\(spoke)-\(index)"
                        do {
                            returned.append(
                                try await fixture.db.publish(
                                    NewEvent(
                                        domain: "cuts", pid: pid, name: "placed", data: ["i": .integer(Int64(index))]),
                                    publisher: "spoke-\(spoke)",
                                    eids: ["order-\(index)"]))
                        } catch let error as EventflowDBError where error.isOutcomeUnknown {
                            unknown.append(pid)
                        }
                    }
                    return (returned, unknown)
                }
            }
            return try await group.reduce(into: [(returned: [String], unknown: [String])]()) { $0.append($1) }
        }
        fixture.proxy.disarm()
        let returned = outcomes.flatMap(\.returned)
        let unknown = outcomes.flatMap(\.unknown)
        var storedTwice = 0
        var missing = 0
        for spoke in 0..<4 {
            for index in 0..<75 {
                let stored = try await fixture.direct.events.readEvents(domain: "cuts", pid: "spoke-\(spoke)-\(index)")
                if stored.count > 1 { storedTwice += 1 }
                if let id = stored.first?.id, returned.contains(id) == false,
                    !unknown.contains("spoke-\(spoke)-\(index)")
                {
                    missing += 1
                }
            }
        }
        for id in returned { #expect(try await fixture.direct.published.readEventPublished(eventID: id).eventID == id) }
        #expect(returned.count + unknown.count == 300)
        #expect(storedTwice == 0)
        #expect(missing == 0)
        #expect(fixture.proxy.faultsInjected > 0)
        print(
            """
            publish with cut COMMIT replies: \(returned.count) publishes \
            returned, \(fixture.proxy.faultsInjected) COMMIT replies \
            cut, \(unknown.count) ended with an unknown outcome, \(storedTwice) \
            stored twice
            """
        )
        try await fixture.close()
    }
}

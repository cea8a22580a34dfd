import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// Lost replies, made to happen: a fault proxy forwards a statement (or COMMIT) to the server
/// and cuts the connection before the reply comes back. The server executed and committed it.
@Suite("MariaDB: lost replies")
struct LostReplyTests {
    /// A fresh database, a proxy in front of the test server, and repositories that go through it.
    struct Fixture {
        let configuration: MariaDBConfiguration
        /// The same database, through the proxy.
        let proxied: MariaDBConfiguration
        let proxy: FaultProxy
        let db: EventflowDB
        /// Repositories that reach the server directly, to look at what is stored.
        let direct: EventflowDB

        static func make(poolSize: Int = 2) async throws -> Fixture {
            let configuration = try await TestServer.makeDatabase(prefix: "ef_lost", poolSize: poolSize)
            let proxy = try FaultProxy(targetPort: configuration.port)
            var proxied = configuration
            proxied.port = proxy.port
            proxied.readTimeout = .seconds(5)
            let db = EventflowDB.mariaDB(configuration: proxied, logger: TestServer.logger)
            let direct = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
            try await direct.setupTableSchemas()
            return Fixture(configuration: configuration, proxied: proxied, proxy: proxy, db: db, direct: direct)
        }

        func close() async throws {
            try await db.close()
            try await direct.close()
            proxy.close()
            try await TestServer.dropDatabase(configuration.database)
        }

        /// A registered hub, and a published event.
        func published(_ id: String, hubs: [String] = ["hub-a", "hub-b"]) async throws {
            for hub in hubs {
                _ = try await direct.hubs.persistHub(
                    NewHub(id: hub, externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 2))
            }
            _ = try await direct.events.persistEvent(NewEvent(id: id, domain: "lost", pid: "p", name: "n"))
            _ = try await direct.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke"))
        }
    }

    @Test(
        "a next-delivery claim whose COMMIT reply is lost is answered with that claim, counted once; the next finds none"
    )
    func claimNextCommitReplyLost() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        // The command byte, then the text: `READ COMMITTED` does not match.
        fixture.proxy.arm(.cut, command: .query, containing: "\u{03}COMMIT")
        let won = try await fixture.db.published.claimNextDelivery(hubID: "hub-a", lease: .seconds(30), maxAttempts: 3)
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(won?.event.id == "e1" && won?.delivery.hub == "hub-a")
        let state = try await fixture.direct.published.readEventPublished(eventID: "e1")
        #expect(state.attempts == 1, "the lost attempt's claim, not a second one")
        #expect(won?.delivery == state)
        #expect(
            try await fixture.db.published.claimNextDelivery(hubID: "hub-b", lease: .seconds(30), maxAttempts: 3) == nil
        )
        try await fixture.close()
    }

    @Test("a hub's claim whose reply is lost after the commit still tells that hub it won; the next hub loses")
    func hubClaimReplyLost() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        fixture.proxy.arm(.cut, command: .execute, containing: "hub-a")
        #expect(try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-a"))
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(
            try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-b") == false)
        #expect(try await fixture.direct.published.readEventPublished(eventID: "e1").hub == "hub-a")
        try await fixture.close()
    }

    @Test("a spoke's claim whose reply is lost after the commit still tells that spoke it won")
    func spokeClaimReplyLost() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        fixture.proxy.arm(.cut, command: .execute, containing: "spoke-a")
        #expect(try await fixture.db.published.updateEventPublishedToConsumedBySpoke(eventID: "e1", spokeID: "spoke-a"))
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(
            try await fixture.db.published.updateEventPublishedToConsumedBySpoke(eventID: "e1", spokeID: "spoke-b")
                == false)
        #expect(try await fixture.direct.published.readEventPublished(eventID: "e1").consumer == "spoke-a")
        try await fixture.close()
    }

    @Test("a scheduled run's claim whose reply is lost after the commit still runs exactly once")
    func scheduledClaimReplyLost() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.direct.events.persistEvent(NewEvent(id: "s1", domain: "lost", pid: "p", name: "n"))
        _ = try await fixture.direct.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: "s1", scheduled: Date(timeIntervalSinceNow: -60)))
        fixture.proxy.arm(.cut, command: .execute, containing: "s1")
        #expect(try await fixture.db.scheduled.updateEventScheduledExecuted(eventID: "s1"))
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(try await fixture.direct.scheduled.updateEventScheduledExecuted(eventID: "s1") == false)
        #expect(try await fixture.direct.scheduled.readEventsScheduled().isEmpty)
        try await fixture.close()
    }

    @Test("a terminal stamp whose reply is lost after the commit reports that it set the stamp")
    func stampReplyLost() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        fixture.proxy.arm(.cut, command: .execute, containing: "e1")
        #expect(try await fixture.db.published.updateEventPublishedToSuccess(eventID: "e1"))
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(try await fixture.db.published.updateEventPublishedToSuccess(eventID: "e1") == false)
        try await fixture.close()
    }

    @Test("a claim whose reply never comes (a dead network, the client's read timeout) still tells its winner")
    func claimReplyBlackholed() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        fixture.proxy.arm(.blackhole, command: .execute, containing: "hub-a")
        #expect(try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-a"))
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(try await fixture.direct.published.readEventPublished(eventID: "e1").hub == "hub-a")
        try await fixture.close()
    }

    @Test(
        """
        a claim whose every attempt loses its reply fails with an unknown \
        outcome, and the same caller's retry learns it won
        """
    )
    func claimOutcomeUnknownThenRetry() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        fixture.proxy.arm(.cut, command: .execute, containing: "hub-a", times: 10)
        let error = await expectError(.eventPublishedCreate) {
            try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-a")
        }
        #expect(error?.isOutcomeUnknown == true)
        #expect(error?.isConnectionFailure == true)
        fixture.proxy.disarm()
        // Another hub cannot take it: the lost attempt committed.
        #expect(
            try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-b") == false)
        #expect(try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-a"))
        // Told once: asking again is a plain lost claim.
        #expect(
            try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-a") == false)
        try await fixture.close()
    }

    @Test(
        """
        a persist and a publish whose every attempt loses its reply \
        fail with an unknown outcome; the caller's retry with the same \
        id succeeds, stored once
        """
    )
    func writeOutcomeUnknownThenRetry() async throws {
        let fixture = try await Fixture.make()
        fixture.proxy.arm(.cut, command: .execute, containing: "kept-id", times: 10)  // the insert and every read-back
        // No timestamp: "now", which the retry must reuse.
        let event = NewEvent(id: "kept-id", domain: "lost", pid: "retry-pid", name: "n", data: ["v": 1])
        let error = await expectError(.eventPersist) { try await fixture.db.events.persistEvent(event) }
        #expect(error?.isOutcomeUnknown == true)
        fixture.proxy.disarm()
        #expect(try await fixture.db.events.persistEvent(event) == "kept-id")
        #expect(try await fixture.direct.events.readEvents(domain: "lost", pid: "retry-pid").map(\.id) == ["kept-id"])

        fixture.proxy.arm(.cut, command: .query, containing: "COMMIT", times: 10)
        let publication = NewEvent(id: "published-id", domain: "lost", pid: "retry-publish", name: "n")
        let publishError = await expectError(.eventPublish) {
            try await fixture.db.publish(publication, publisher: "spoke")
        }
        #expect(publishError?.isOutcomeUnknown == true)
        fixture.proxy.disarm()
        #expect(try await fixture.db.publish(publication, publisher: "spoke") == "published-id")
        #expect(try await fixture.direct.events.readEvents(domain: "lost", pid: "retry-publish").count == 1)
        #expect(try await fixture.direct.published.readEventPublished(eventID: "published-id").publisher == "spoke")
        try await fixture.close()
    }

    @Test(
        "every connection cut by the network at once: the next read and write go through on fresh connections; slow replies still arrive"
    )
    func networkCutAndSlowReplies() async throws {
        let fixture = try await Fixture.make()
        try await fixture.published("e1")
        #expect(try await fixture.db.published.readEventPublished(eventID: "e1").publisher == "spoke")
        let before = fixture.proxy.connectionsAccepted
        fixture.proxy.dropAllConnections()
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await fixture.db.published.readEventPublished(eventID: "e1").publisher == "spoke")
        #expect(try await fixture.db.published.updateEventPublishedToConsumedByHub(eventID: "e1", hubID: "hub-a"))
        #expect(fixture.proxy.connectionsAccepted > before, "the pool reconnected")
        fixture.proxy.delayReplies(by: .milliseconds(300))
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try await fixture.db.published.readEventPublished(eventID: "e1").hub == "hub-a")
        #expect(clock.now - started >= .milliseconds(300), "the reply was held back")
        try await fixture.close()
    }

    @Test("a publish whose COMMIT reply is lost is stored once and returns its id")
    func publishCommitReplyLost() async throws {
        let fixture = try await Fixture.make()
        fixture.proxy.arm(.cut, command: .query, containing: "COMMIT")
        let id = try await fixture.db.publish(
            NewEvent(domain: "lost", pid: "spoke-1", name: "placed", data: ["n": 1]), publisher: "spoke",
            cpids: [EventCpid(domain: "billing", cpid: "c1")], eids: ["x1"])
        #expect(fixture.proxy.faultsInjected == 1)
        let stored = try await fixture.direct.events.readEvents(domain: "lost", pid: "spoke-1")
        #expect(stored.map(\.id) == [id])
        #expect(try await fixture.direct.published.readEventPublished(eventID: id).publisher == "spoke")
        #expect(try await fixture.direct.events.readEventEids(eventID: id) == ["x1"])
        try await fixture.close()
    }

    @Test("a publish cut before its COMMIT reached the server is written by the retry, once")
    func publishCutBeforeCommit() async throws {
        let fixture = try await Fixture.make()
        // The event INSERT is forwarded, then the connection dies: the transaction rolls back.
        fixture.proxy.arm(.cut, command: .execute, containing: "spoke-2")
        let id = try await fixture.db.publish(
            NewEvent(domain: "lost", pid: "spoke-2", name: "placed"), publisher: "spoke")
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(try await fixture.direct.events.readEvents(domain: "lost", pid: "spoke-2").map(\.id) == [id])
        try await fixture.close()
    }

    @Test(
        "batch persists whose reply is lost (one statement, or a transaction's COMMIT) store each event once",
        arguments: [20, 1_200])
    func batchReplyLost(count: Int) async throws {
        let fixture = try await Fixture.make()
        if count > 500 {
            fixture.proxy.arm(.cut, command: .query, containing: "COMMIT")
        } else {
            // Up to 500 rows are one array-bound statement: one COM_STMT_BULK_EXECUTE.
            fixture.proxy.arm(.cut, command: .bulkExecute, containing: "batch-pid")
        }
        let ids = try await fixture.db.events.persistEvents(
            (0..<count).map { NewEvent(domain: "lost", pid: "batch-pid", name: "n\($0)") })
        #expect(fixture.proxy.faultsInjected == 1)
        let stored = try await fixture.direct.events.readEvents(domain: "lost", pid: "batch-pid")
        #expect(stored.map(\.id) == ids)
        try await fixture.close()
    }

    @Test("a persist whose reply is lost is stored once")
    func persistReplyLost() async throws {
        let fixture = try await Fixture.make()
        fixture.proxy.arm(.cut, command: .execute, containing: "single-pid")
        let id = try await fixture.db.events.persistEvent(
            NewEvent(domain: "lost", pid: "single-pid", name: "n", data: ["k": "v"]))
        #expect(fixture.proxy.faultsInjected == 1)
        #expect(try await fixture.direct.events.readEvents(domain: "lost", pid: "single-pid").map(\.id) == [id])
        try await fixture.close()
    }

    @Test("a write whose id holds other content after a lost reply is a duplicate, not a success")
    func recoveryComparesContent() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.direct.events.persistEvent(NewEvent(id: "taken", domain: "lost", pid: "other", name: "n"))
        fixture.proxy.arm(.cut, command: .execute, containing: "taken")
        let error = await expectError(.eventPersist) {
            try await fixture.db.events.persistEvent(NewEvent(id: "taken", domain: "lost", pid: "mine", name: "n"))
        }
        #expect(error?.isDuplicate == true)
        try await fixture.close()
    }
}

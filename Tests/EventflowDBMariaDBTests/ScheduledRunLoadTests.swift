import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// The scheduled-run lifecycle under load: hubs with pools of their own (as processes would have)
/// claim, fail (25%), abandon (a hub dying mid-run, 3%) and succeed runs at once.
@Suite("MariaDB: scheduled runs under load", .serialized)
struct ScheduledRunLoadTests {
    static let hubCount = 8
    static let eventCount = 600
    static let policy = ScheduledRunPolicy(
        maxAttempts: 3, lease: .seconds(2), backoff: .milliseconds(50), maxBackoff: .milliseconds(200))

    /// What one hub did: the (event, attempt) claims it won and the runs it delivered.
    struct HubLog: Sendable {
        var claims: [String] = []
        var delivered: [String] = []
        var abandoned = 0
        var failed = 0
    }

    @Test("8 hubs, 25% failures, 3% dying mid-run, max 3: each run delivered once or dead-lettered, never above max")
    func lifecycleUnderLoad() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_runs", poolSize: 4)
        let setup = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await setup.setupTableSchemas()
        let start = Date()
        let ids = try await setup.events.persistEvents(
            (0..<Self.eventCount).map { NewEvent(id: "run-\($0)", domain: "load", pid: "p", name: "n") })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask {
                    try await setup.scheduled.persistEventScheduled(
                        NewEventScheduled(eventID: id, scheduled: start.addingTimeInterval(Double(index % 3))))
                }
                if index % 4 == 3 { try await group.waitForAll() }
            }
            try await group.waitForAll()
        }
        var perHub = configuration
        perHub.poolSize = 2
        let hubs = (0..<Self.hubCount).map { _ in
            EventflowDB.mariaDB(configuration: perHub, logger: TestServer.logger)
        }
        let deadline = ContinuousClock.now + .seconds(180)
        let began = ContinuousClock.now

        let logs = try await withThrowingTaskGroup(of: HubLog.self) { group in
            for hub in hubs {
                group.addTask { try await Self.work(hub, until: deadline) }
            }
            return try await group.reduce(into: [HubLog]()) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - began
        for hub in hubs { try await hub.close() }
        // A run abandoned on its last attempt is held until its lease expires, then a dead letter.
        try await Task.sleep(for: Self.policy.lease + .milliseconds(100))

        let claims = logs.flatMap(\.claims)
        let delivered = logs.flatMap(\.delivered)
        #expect(Set(claims).count == claims.count, "no attempt of a run won by two hubs")
        #expect(Set(delivered).count == delivered.count, "no run delivered twice")
        var succeeded = 0
        var dead = 0
        for index in 0..<Self.eventCount {
            let run = try #require(try await setup.scheduled.readScheduledRun(eventID: "run-\(index)"))
            #expect(run.attempts >= 1 && run.attempts <= Self.policy.maxAttempts, "\(run.eventID): \(run.attempts)")
            switch run.state(at: Date()) {
            case .succeeded:
                succeeded += 1
                #expect(delivered.contains(run.eventID))
            case .deadLetter:
                dead += 1
                #expect(!delivered.contains(run.eventID))
                #expect(run.attempts == Self.policy.maxAttempts)
            default:
                Issue.record("\(run.eventID) ended \(run.state(at: Date()))")
            }
        }
        #expect(succeeded + dead == Self.eventCount)
        #expect(succeeded == delivered.count)
        #expect(try await setup.scheduled.readNextScheduledTime() == nil, "nothing left due or claimed")
        let deadLetters = try await setup.scheduled.readScheduledDeadLetters(limit: 10_000)
        #expect(deadLetters.count == dead)
        print(
            """
            scheduled runs under load: \(Self.eventCount) runs, \(claims.count) claims won, \
            \(succeeded) succeeded, \(dead) dead letters, \(logs.map(\.failed).reduce(0, +)) failures, \
            \(logs.map(\.abandoned).reduce(0, +)) abandoned (lease expired), in \(elapsed); \
            claims per hub \(logs.map(\.claims.count))
            """)
        try await setup.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    /// One hub's loop: claims what is due, then delivers (72%), fails (25%) or dies holding it (3%);
    /// stops when nothing is due or claimed any more.
    static func work(_ hub: EventflowDB, until deadline: ContinuousClock.Instant) async throws -> HubLog {
        var log = HubLog()
        var generator = SystemRandomNumberGenerator()
        while ContinuousClock.now < deadline {
            let due = try await hub.scheduled.readEventsScheduled(dueBy: Date(), limit: 100)
            if due.isEmpty {
                guard try await hub.scheduled.readNextScheduledTime() != nil else { return log }
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            for event in due.shuffled(using: &generator) {
                guard let run = try await hub.scheduled.claimScheduledRun(eventID: event.eventID, policy: policy)
                else { continue }
                log.claims.append("\(run.eventID)#\(run.attempts)")
                switch Int.random(in: 0..<100, using: &generator) {
                case 0..<3:
                    log.abandoned += 1  // the hub dies holding it: the lease expires
                case 3..<28:
                    log.failed += 1
                    _ = try await hub.scheduled.failScheduledRun(
                        eventID: run.eventID, attempt: run.attempts, policy: policy)
                default:
                    if try await hub.scheduled.succeedScheduledRun(eventID: run.eventID, attempt: run.attempts) {
                        log.delivered.append(run.eventID)
                    }
                }
            }
        }
        return log
    }
}

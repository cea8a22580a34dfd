import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Synchronization
import Testing

@Suite("MariaDB: faults", .serialized)
struct FaultTests {
    /// What the writer saw.
    private struct Tally: Sendable {
        var acknowledged: [String] = []
        var failures: [(kind: DatabaseError.Kind?, seconds: Double)] = []
        var retriedAsDuplicate = 0
        var acknowledgedAfterRestart = 0
    }

    @Test(
        """
        a server killed mid-write: calls fail fast with a connection \
        error, the same pool serves after the restart, no acknowledged \
        write is lost
        """
    )
    func serverKilledMidWrite() async throws {
        let server = try await ThrowawayServer.start()
        defer { server.stop() }
        let db = EventflowDB.mariaDB(configuration: server.configuration(poolSize: 2), logger: TestServer.logger)
        try await db.setupTableSchemas()

        let tally = LockedState(Tally())
        let restarted = Atomic<Bool>(false)
        let stop = Atomic<Bool>(false)
        let clock = ContinuousClock()

        let writer = Task {
            var index = 0
            while !stop.load(ordering: .relaxed) && index < 100_000 {
                let id = "w-\(index)"
                let started = clock.now
                do {
                    _ = try await db.events.persistEvent(
                        NewEvent(
                            id: id, domain: "faults", pid: "writer", name: "written",
                            data: ["i": .integer(Int64(index))]))
                    let afterRestart = restarted.load(ordering: .relaxed)
                    tally.withLock {
                        $0.acknowledged.append(id)
                        if afterRestart { $0.acknowledgedAfterRestart += 1 }
                    }
                    index += 1
                } catch let error as EventflowDBError where error.isDuplicate {
                    // The attempt before the failure did commit: the retry by id is idempotent.
                    tally.withLock { $0.retriedAsDuplicate += 1 }
                    index += 1
                } catch let error as EventflowDBError {
                    let seconds =
                        Double((clock.now - started).components.seconds) + Double(
                            (clock.now - started).components.attoseconds) / 1e18
                    tally.withLock { $0.failures.append((error.databaseError?.kind, seconds)) }
                    try? await Task.sleep(for: .milliseconds(100))  // then retry the same id
                }
            }
        }

        try await Task.sleep(for: .seconds(1))
        try await server.crash()
        try await Task.sleep(for: .seconds(3))
        try await server.start()
        restarted.store(true, ordering: .relaxed)
        // Let the writer prove the pool serves again, then stop it.
        for _ in 0..<100 where tally.withLock({ $0.acknowledgedAfterRestart }) < 20 {
            try await Task.sleep(for: .milliseconds(100))
        }
        stop.store(true, ordering: .relaxed)
        try await writer.value

        let result = tally.withLock { $0 }
        let stored = try await db.events.readEvents(domain: "faults", pid: "writer")
        let storedIDs = Set(stored.map(\.id))
        #expect(!result.failures.isEmpty, "the outage was noticed")
        #expect(
            result.failures.allSatisfy { $0.kind == .connectionLost || $0.kind == .poolTimeout || $0.kind == .closed },
            "\(result.failures)")
        #expect(
            result.failures.allSatisfy { $0.seconds < 8 },
            "every failed call returned within the timeouts: \(result.failures.map(\.seconds))")
        #expect(result.acknowledgedAfterRestart >= 20, "the same pool serves after the restart")
        #expect(Set(result.acknowledged).isSubset(of: storedIDs), "no acknowledged write lost")
        #expect(stored.count == storedIDs.count, "no id stored twice")
        print(
            """
            server killed mid-write: \(result.acknowledged.count) writes acknowledged, \(result.acknowledged.filter(storedIDs.contains).count) of them \
            found after the restart, \(stored.count) rows in all, \(result.failures.count) calls failed during the outage \
            (slowest \(String(format: "%.2f", result.failures.map(\.seconds).max() ?? 0)) s), \(result.retriedAsDuplicate) retries found their write already committed
            """)
        try await db.close()
    }

    @Test("a persist whose connection dies before its acknowledgement is retried by id and not duplicated")
    func lostAcknowledgementIsRetriedByID() async throws {
        var configuration = try await TestServer.makeDatabase(prefix: "ef_fault", poolSize: 1)
        // Our insert waits on the other session's row lock until the test kills it; under a busy
        // suite the kill can take seconds, so the server's lock wait (half the read timeout) must
        // outlast it (a CI run saw the insert give up with 1205 first at the default 30 s).
        configuration.readTimeout = .seconds(120)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let db = EventflowDB.mariaDB(pool: pool, logger: TestServer.logger)
        try await db.setupTableSchemas()
        let ourThread = try await pool.withConnection { $0.serverThreadID }
        let when = Date(timeIntervalSince1970: 1_767_323_045.678)
        let event = NewEvent(id: "contested", timestamp: when, domain: "d", pid: "p", name: "n", data: ["v": 1])

        // Another session inserts the same event and keeps its transaction open: our insert waits on its row lock.
        let other = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let inserted = AsyncStream<Void>.makeStream()
        let commit = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await other.withTransaction { connection in
                _ = try await connection.execute(
                    "INSERT INTO event (id, timestamp, domain, pid, name, data) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        .string("contested"), .datetime(when), .string("d"), .string("p"), .string("n"),
                        .string(#"{"v":1}"#),
                    ])
                inserted.continuation.yield()
                for await _ in commit.stream { break }
            }
        }
        for await _ in inserted.stream { break }
        let persist = Task { try await db.events.persistEvent(event) }
        try await Task.sleep(for: .milliseconds(300))
        try await admin("KILL CONNECTION " + String(ourThread))  // our insert dies without an answer
        try await Task.sleep(for: .milliseconds(300))  // the retry now waits on the same lock
        commit.continuation.yield()  // the other insert commits the same event
        try await holder.value

        #expect(try await persist.value == "contested")
        #expect(try await db.events.readEvents(domain: "d", pid: "p").count == 1)
        await other.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a connection killed mid-transaction leaves no partial write")
    func killedMidTransaction() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_fault")
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        await #expect(throws: DatabaseError.self) {
            try await pool.withTransaction { connection in
                _ = try await connection.execute(
                    "INSERT INTO event (id, domain, pid, name, data) VALUES (?, ?, ?, ?, ?)",
                    [.string("half"), .string("d"), .string("p"), .string("n"), .string("{}")])
                try await admin("KILL CONNECTION " + String(connection.serverThreadID))
                _ = try await connection.execute(
                    "INSERT INTO event_published (event_id, publisher) VALUES (?, ?)",
                    [.string("half"), .string("spoke")])
            }
        }
        await expectError(.eventNotFound) { try await db.events.readEvent(id: "half") }
        // The pool replaced the dead connection.
        #expect(try await pool.withConnection { try await $0.execute("SELECT 1").rows.count } == 1)
        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

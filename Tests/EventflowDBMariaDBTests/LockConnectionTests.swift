import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Synchronization
import Testing

/// Named locks on connections of their own: they cannot starve the pool, a wait can be
/// cancelled, and a lock lost while its body runs is reported, never silently ignored.
@Suite("MariaDB: named locks")
struct LockConnectionTests {
    private static func database(poolSize: Int) async throws -> (EventflowDB, MariaDBConfiguration) {
        var configuration = try await TestServer.makeDatabase(prefix: "ef_lock", poolSize: poolSize)
        configuration.acquireTimeout = .seconds(5)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        return (db, configuration)
    }

    private static func unique(_ name: String) -> String { name + "-" + UUID().uuidString.prefix(8) }

    @Test("more concurrent lockers than pooled connections still run bodies that use the pool")
    func lockersDoNotStarveThePool() async throws {
        let (db, configuration) = try await Self.database(poolSize: 2)
        let names = (0..<6).map { Self.unique("starve-\($0)") }
        let entered = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                group.addTask {
                    try await db.locks.withLock(name, timeout: .seconds(5)) {
                        entered.increment()
                        // Every body waits for all of them: each holds its lock while using the pool.
                        while entered.value < names.count { try await Task.sleep(for: .milliseconds(10)) }
                        _ = try await db.events.persistEvent(NewEvent(domain: "locks", pid: name, name: "inside"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await db.migrator.tableRowCounts()["event"] == names.count)
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a locker waiting for a busy lock returns promptly when its task is cancelled")
    func cancelledWaitReturns() async throws {
        let (db, configuration) = try await Self.database(poolSize: 2)
        let name = Self.unique("busy")
        let held = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await db.locks.withLock(name, timeout: .seconds(5)) {
                held.continuation.yield()
                for await _ in release.stream { break }
            }
        }
        for await _ in held.stream { break }
        let waiter = Task { try await db.locks.withLock(name, timeout: .seconds(60)) { 1 } }
        try await Task.sleep(for: .milliseconds(300))
        let clock = ContinuousClock()
        let cancelled = clock.now
        waiter.cancel()
        let result = await waiter.result
        #expect(clock.now - cancelled < .seconds(2))
        #expect(throws: CancellationError.self) { try result.get() }
        release.continuation.yield()
        try await holder.value
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("a lock whose connection dies while the body runs cancels the body and fails with LOCK_LOST")
    func lostLockIsReported() async throws {
        let (db, configuration) = try await Self.database(poolSize: 2)
        let name = Self.unique("lost")
        let bodyCancelled = Counter()
        let bodyStarted = Counter()
        let locker = Task {
            try await db.locks.withLock(name, timeout: .seconds(5)) {
                bodyStarted.increment()
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    bodyCancelled.increment()
                    throw error
                }
            }
        }
        // Once the body runs (the lock is held), kill every session of this test's database, the
        // lock's among them, as a server-side timeout or a cut would. (Looking the holder up by
        // IS_USED_LOCK raced with the parallel suite: it sometimes named a session already gone.)
        var killed = false
        for _ in 0..<1_200 where !killed {  // up to a minute: under ThreadSanitizer the lock is slow to take
            try await Task.sleep(for: .milliseconds(50))
            guard bodyStarted.value == 1 else { continue }
            let sessions = try await admin(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ?", [.string(configuration.database)]
            ).rows
            for row in sessions {
                var thread: Int?
                if case .int(let id) = row[0] { thread = Int(id) }
                if case .uint(let id) = row[0] { thread = Int(id) }
                guard let thread else { continue }
                do {
                    try await admin("KILL CONNECTION " + String(thread))
                    killed = true
                } catch let error as DatabaseError where error.number == 1094 {
                    continue  // ended meanwhile
                }
            }
        }
        #expect(killed, "the lock's session was found and killed")
        let result = await locker.result
        do {
            _ = try result.get()
            Issue.record("expected LOCK_LOST")
        } catch let error as EventflowDBError {
            #expect(error.code == .lockLost)
        }
        #expect(bodyCancelled.value == 1, "the body was cancelled")
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("with a one-second read timeout, a lock waited for over several slices is still taken when freed")
    func shortReadTimeoutLockWait() async throws {
        var configuration = try await TestServer.makeDatabase(prefix: "ef_lock", poolSize: 2)
        configuration.readTimeout = .seconds(1)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        let name = Self.unique("short")
        let held = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await db.locks.withLock(name, timeout: .seconds(5)) {
                held.continuation.yield()
                try await Task.sleep(for: .milliseconds(2_500))
            }
        }
        for await _ in held.stream { break }
        #expect(try await db.locks.withLock(name, timeout: .seconds(10)) { "taken" } == "taken")
        try await holder.value
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("the server gives up on lock waits and long statements before the client's read timeout")
    func serverGivesUpFirst() async throws {
        var configuration = try await TestServer.makeDatabase(prefix: "ef_limits", poolSize: 2)
        configuration.readTimeout = .seconds(4)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        _ = try await pool.withConnection { try await $0.query("CREATE TABLE r (id INT PRIMARY KEY, v INT)") }
        _ = try await pool.withConnection { try await $0.execute("INSERT INTO r VALUES (?, ?)", [.int(1), .int(0)]) }
        let holding = AsyncStream<Void>.makeStream()
        let done = AsyncStream<Void>.makeStream()
        let other = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let holder = Task {
            try await other.withTransaction { connection in
                _ = try await connection.execute("UPDATE r SET v = 1 WHERE id = ?", [.int(1)])
                holding.continuation.yield()
                for await _ in done.stream { break }
            }
        }
        for await _ in holding.stream { break }
        // A row lock wait: the server answers 1205 (after 2 s), the connection survives.
        let waited = await expectDatabaseError(.lockWaitTimeout) {
            try await pool.withConnection { try await $0.execute("UPDATE r SET v = 2 WHERE id = ?", [.int(1)]) }
        }
        #expect(waited != nil)
        done.continuation.yield()
        try await holder.value
        // A statement that runs too long is stopped by the server (max_statement_time), not by a client timeout.
        do {
            let rows = try await pool.withConnection {
                try await $0.execute("SELECT BENCHMARK(100000000000, MD5(v)) FROM r").rows
            }
            Issue.record("expected the server to stop the statement, got \(rows)")
        } catch let error as DatabaseError {
            #expect(error.kind == .statementTimeout, "\(error.debugDescription)")
        }
        #expect(SessionLimits(statementsWithin: .seconds(4)).statementMilliseconds == 3_200)
        #expect(SessionLimits.ddl(.seconds(3_600)).statementMilliseconds == 0)
        #expect(SessionLimits.namedLocks(within: .seconds(1)).statementMilliseconds == 0)
        await other.close()
        await pool.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

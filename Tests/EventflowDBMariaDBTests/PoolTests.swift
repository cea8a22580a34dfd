import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Driver: connection pool")
struct PoolTests {
    @Test("64 concurrent tasks over a pool of 4 do all their work exactly once")
    func manyTasksFewConnections() async throws {
        try await withFreshPool(poolSize: 4) { pool, configuration in
            _ = try await pool.withConnection {
                try await $0.query("CREATE TABLE w (task INT PRIMARY KEY, thread BIGINT UNSIGNED)")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<64 {
                    group.addTask {
                        _ = try await pool.withConnection { connection in
                            try await connection.execute(
                                "INSERT INTO w VALUES (?, ?)", [.int(Int64(task)), .uint(connection.serverThreadID)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await pool.withConnection {
                try await $0.execute("SELECT COUNT(*), COUNT(DISTINCT task), COUNT(DISTINCT thread) FROM w")
            }
            #expect(try rows.rows[0].int(0) == 64)
            #expect(try rows.rows[0].int(1) == 64)
            #expect(try rows.rows[0].int(2) <= 4)
            #expect(pool.counts.open <= 4)
            #expect(pool.counts.lent == 0)
        }
    }

    @Test("connect and write timeouts of Int64.max seconds and a fraction connect, clamped, never a trap")
    func hugeTimeouts() async throws {
        var configuration = try await TestServer.makeDatabase(prefix: "ef_driver", poolSize: 1)
        let huge = Duration(secondsComponent: .max, attosecondsComponent: 1)
        configuration.connectTimeout = huge
        configuration.writeTimeout = huge
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let one = try await pool.withConnection { try await $0.execute("SELECT 1", []).rows[0].int(0) }
        await pool.close()
        try await TestServer.dropDatabase(configuration.database)
        #expect(one == 1)
    }

    @Test("a caller waiting under an acquire timeout of Int64.max seconds gets the connection freed, never a trap")
    func hugeAcquireTimeout() async throws {
        try await withFreshPool(poolSize: 1, acquireTimeout: Duration(secondsComponent: .max, attosecondsComponent: 1))
        {
            pool, _ in
            let (held, release) = AsyncStream.makeStream(of: Void.self)
            async let holder: Int = pool.withConnection { connection in
                for await _ in held { break }
                return try await connection.execute("SELECT 1", []).rows[0].int(0)
            }
            while pool.counts.lent == 0 { await Task.yield() }
            async let waiter: Int = pool.withConnection { try await $0.execute("SELECT 2", []).rows[0].int(0) }
            while pool.waiting == 0 { await Task.yield() }
            release.yield()
            let (first, second) = (try await holder, try await waiter)
            #expect(first == 1 && second == 2)
        }
    }

    @Test("waiting for a connection longer than the acquire timeout fails with a pool timeout")
    func acquireTimeout() async throws {
        try await withFreshPool(poolSize: 1, acquireTimeout: .milliseconds(300)) { pool, _ in
            try await pool.withConnection { _ in
                let error = await expectDatabaseError(.poolTimeout) { try await pool.withConnection { _ in 1 } }
                #expect(error != nil)
                #expect(error?.message.contains("pool size 1") == true)
            }
            // Once the connection is back, the pool serves again.
            #expect(try await pool.withConnection { try await $0.execute("SELECT 1").rows.count } == 1)
        }
    }

    @Test("an idle connection killed from another session is replaced and the next write succeeds")
    func killedIdleConnectionIsReplaced() async throws {
        try await withFreshPool(poolSize: 1) { pool, _ in
            _ = try await pool.withConnection { try await $0.query("CREATE TABLE k (id INT PRIMARY KEY)") }
            let firstThread = try await pool.withConnection { $0.serverThreadID }
            try await admin("KILL CONNECTION " + String(firstThread))
            try await Task.sleep(for: .milliseconds(200))
            let result = try await pool.withConnection { try await $0.execute("INSERT INTO k VALUES (?)", [.int(1)]) }
            #expect(result.affectedRows == 1)
            #expect(try await pool.withConnection { $0.serverThreadID } != firstThread)
            #expect(pool.counts.open == 1)
        }
    }

    @Test("a read on a connection lost mid-use is retried once on a fresh connection")
    func idempotentRetry() async throws {
        try await withFreshPool(poolSize: 1) { pool, _ in
            let attempts = LockedState(0)
            let value = try await pool.withConnection(idempotent: true) { connection in
                if attempts.withLock({
                    $0 += 1; return $0
                }) == 1 {
                    try await admin("KILL CONNECTION " + String(connection.serverThreadID))
                }
                return try await connection.execute("SELECT 42").rows[0].int(0)
            }
            #expect(value == 42)
            #expect(attempts.withLock { $0 } == 2)
        }
    }

    @Test("close drains the pool: the server sees no session left and later use fails as closed")
    func closeDrains() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_driver", poolSize: 8)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { _ = try await pool.withConnection { try await $0.execute("SELECT SLEEP(0.1)") } }
            }
            try await group.waitForAll()
        }
        #expect(try await sessions(on: configuration.database) == 8)
        await pool.close()
        var remaining = try await sessions(on: configuration.database)
        for _ in 0..<50 where remaining > 0 {
            try await Task.sleep(for: .milliseconds(100))
            remaining = try await sessions(on: configuration.database)
        }
        #expect(remaining == 0)
        #expect(pool.counts.open == 0)
        let closed = await expectDatabaseError(.closed) { try await pool.withConnection { _ in 1 } }
        #expect(closed != nil)
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("8 concurrent one-second sleeps on a pool of 8 overlap instead of queueing on the cooperative pool")
    func blockingCallsLeaveTheCooperativePoolFree() async throws {
        try await withFreshPool(poolSize: 8) { pool, _ in
            // Open the 8 connections first, so that only the sleeps are timed (connecting is slow
            // under ThreadSanitizer).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try await pool.withConnection { try await $0.execute("SELECT SLEEP(0.2)") } }
                }
                try await group.waitForAll()
            }
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 {
                        group.addTask { _ = try await pool.withConnection { try await $0.execute("SELECT SLEEP(1)") } }
                    }
                    try await group.waitForAll()
                }
            }
            // Serialised on 2 cooperative threads they would take 4 s or more; overlapped, about 1 s.
            #expect(elapsed < .seconds(3), "took \(elapsed)")
        }
    }
}

@Suite("Driver: transactions")
struct TransactionTests {
    @Test("a transaction commits on return and rolls back on throw, and the connection stays healthy")
    func commitAndRollback() async throws {
        struct Abort: Error {}
        try await withFreshPool(poolSize: 1) { pool, _ in
            _ = try await pool.withConnection {
                try await $0.query("CREATE TABLE x (id INT PRIMARY KEY) ENGINE=InnoDB")
            }
            try await pool.withTransaction { _ = try await $0.execute("INSERT INTO x VALUES (?)", [.int(1)]) }
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    _ = try await connection.execute("INSERT INTO x VALUES (?)", [.int(2)])
                    throw Abort()
                }
            }
            let ids = try await pool.withConnection {
                try await $0.execute("SELECT id FROM x ORDER BY id").rows.map { try $0.int(0) }
            }
            #expect(ids == [1])
            // Same single connection: no transaction left open on it.
            let open = try await pool.withConnection { try await $0.execute("SELECT @@in_transaction").rows[0].int(0) }
            #expect(open == 0)
        }
    }

    @Test("a cancelled transaction is rolled back")
    func cancellation() async throws {
        try await withFreshPool(poolSize: 2) { pool, _ in
            _ = try await pool.withConnection {
                try await $0.query("CREATE TABLE y (id INT PRIMARY KEY) ENGINE=InnoDB")
            }
            let inserted = AsyncStream<Void>.makeStream()
            let task = Task {
                try await pool.withTransaction { connection in
                    _ = try await connection.execute("INSERT INTO y VALUES (?)", [.int(1)])
                    inserted.continuation.yield()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            for await _ in inserted.stream { break }
            task.cancel()
            _ = await task.result
            let count = try await pool.withConnection { try await $0.execute("SELECT COUNT(*) FROM y").rows[0].int(0) }
            #expect(count == 0)
        }
    }
}

@Suite("Driver: lifecycle, health and other ways in")
struct PoolLifecycleTests {
    @Test("close waits for operations under way, then closes their connections too")
    func closeDrainsLentConnections() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_driver", poolSize: 2)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let started = AsyncStream<Void>.makeStream()
        let slow = Task {
            try await pool.withConnection { connection in
                started.continuation.yield()
                return try await connection.execute("SELECT SLEEP(0.5)").rows.count
            }
        }
        for await _ in started.stream { break }
        await pool.close()
        #expect(pool.counts == (open: 0, lent: 0))
        #expect(try await slow.value == 1, "the operation under way finished")
        #expect(try await sessionsAfterClose(on: configuration.database) == 0)
        try await TestServer.dropDatabase(configuration.database)
    }

    @Test("run as a swift-service-lifecycle service, the pool closes on graceful shutdown")
    func serviceLifecycle() async throws {
        try await withFreshPool(poolSize: 2) { pool, configuration in
            let group = ServiceGroup(services: [pool], logger: TestServer.logger)
            let running = Task { try await group.run() }
            #expect(try await pool.withConnection { try await $0.execute("SELECT 1").rows.count } == 1)
            await group.triggerGracefulShutdown()
            try await running.value
            #expect(pool.counts.open == 0)
            let closed = await expectDatabaseError(.closed) { try await pool.withConnection { _ in 1 } }
            #expect(closed != nil)
            #expect(try await sessionsAfterClose(on: configuration.database) == 0)
        }
    }

    @Test("the idle health check drops connections that no longer answer")
    func healthCheck() async throws {
        try await withFreshPool(poolSize: 2) { pool, _ in
            let thread = try await pool.withConnection { $0.serverThreadID }
            #expect(pool.counts.open == 1)
            try await admin("KILL CONNECTION " + String(thread))
            try await Task.sleep(for: .milliseconds(100))
            await pool.checkIdleConnections()
            #expect(pool.counts.open == 0)
            #expect(try await pool.withConnection { try await $0.execute("SELECT 1").rows.count } == 1)
        }
    }

    @Test("a connection over the server's unix socket works like one over TCP")
    func unixSocket() async throws {
        let socket =
            ProcessInfo.processInfo.environment["EVENTFLOW_DB_SOCKET"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../.db/mariadb.sock"
            ).standardized.path
        var configuration = TestServer.configuration
        configuration.socketPath = socket
        configuration.host = "ignored-with-a-socket"
        let connection = try await MariaDBConnection.connect(configuration: configuration, logger: TestServer.logger)
        let result = try await connection.execute("SELECT @@socket = ?, CONNECTION_ID() > 0", [.string(socket)])
        #expect(try result.rows[0].int(1) == 1)
        await connection.close()
    }

    @Test("the Locator builds the MariaDB backend from a JSON config file and the EVENTFLOW_MYSQL_* variables")
    func locatorMariaDB() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_locator")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-\(UUID().uuidString).json")
            .path
        try
            #"{"eventflow":{"db":{"driver":"mariadb","host":"127.0.0.1","user":"nobody","password":"wrong","pool":{"size":3}}}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let locator = try await Locator.load(
            configFile: file,
            environment: [
                "EVENTFLOW_MYSQL_PORT": String(configuration.port), "EVENTFLOW_MYSQL_USER": configuration.user,
                "EVENTFLOW_MYSQL_PASS": configuration.password, "EVENTFLOW_MYSQL_DB": configuration.database,
            ],
            drivers: [.mariaDB()], logger: TestServer.logger)
        let db = try locator.locate(EventflowDB.self)
        try await db.setupTableSchemas()
        let events = try locator.locate((any EventRepository).self)
        let id = try await events.persistEvent(NewEvent(domain: "d", pid: "p", name: "located"))
        #expect(try await db.events.readEvent(id: id).name == "located")
        #expect(try MariaDBConfiguration(locator.locate(DriverConfig.self)).poolSize == 3)
        try await db.close()
        #expect(try await sessionsAfterClose(on: configuration.database) == 0)
        try await TestServer.dropDatabase(configuration.database)
    }
}

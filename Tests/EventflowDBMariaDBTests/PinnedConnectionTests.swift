import CMariaDB
import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("Driver: pinned connections")
struct PinnedConnectionTests {
    /// The thread the caller runs on, for comparing across suspension points.
    private static func currentThread() -> UInt { UInt(pthread_self()) }

    /// The name of the thread the caller runs on (the connections' threads are "eventflow-conn").
    private static func threadName() -> String {
        var name = [CChar](repeating: 0, count: 32)
        eventflow_thread_name(&name)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test("a pinned task's operations all use one connection, and its code runs on that connection's thread")
    func oneConnectionOneThread() async throws {
        try await withFreshPool(poolSize: 4) { pool, _ in
            try await pool.withPinnedConnection {
                let first = try await pool.withConnection { $0.serverThreadID }
                let thread = Self.currentThread()
                #expect(Self.threadName() == "eventflow-conn")
                for _ in 0..<20 {
                    #expect(try await pool.withConnection { $0.serverThreadID } == first)
                    // Resumed after each statement on the same thread: the connection's own.
                    #expect(Self.currentThread() == thread)
                }
                #expect(pool.counts.lent == 1)
            }
            #expect(pool.counts.lent == 0)
            // Outside the scope the task runs on Swift's cooperative pool again.
            #expect(Self.threadName() != "eventflow-conn")
        }
    }

    @Test("a statement nested in a transaction of a pinned task gets a connection of its own")
    func nestedLendingKeepsTransactionsApart() async throws {
        try await withFreshPool(poolSize: 4) { pool, _ in
            _ = try await pool.withConnection {
                try await $0.query("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB")
            }
            try await pool.withPinnedConnection {
                try await pool.withTransaction { connection in
                    _ = try await connection.execute("INSERT INTO t VALUES (?)", [.int(1)])
                    let (thread, seen) = try await pool.withConnection { other in
                        (other.serverThreadID, try await other.execute("SELECT COUNT(*) FROM t").rows[0].int(0))
                    }
                    #expect(thread != connection.serverThreadID)
                    #expect(seen == 0)  // the transaction's row is not visible before its commit
                }
                #expect(
                    try await pool.withConnection { try await $0.execute("SELECT COUNT(*) FROM t").rows[0].int(0) } == 1
                )
            }
            #expect(pool.counts.lent == 0)
        }
    }

    @Test("when the pinned connection is killed, the task's operations go on over other connections")
    func killedPinnedConnection() async throws {
        try await withFreshPool(poolSize: 2) { pool, _ in
            let pinned = try await pool.withPinnedConnection {
                let pinned = try await pool.withConnection { $0.serverThreadID }
                try await admin("KILL CONNECTION " + String(pinned))
                try await Task.sleep(for: .milliseconds(200))
                // A read is attempted again on a fresh connection; later ones skip the broken one.
                #expect(
                    try await pool.withConnection(idempotent: true) { try await $0.execute("SELECT 7").rows[0].int(0) }
                        == 7)
                let after = try await pool.withConnection { $0.serverThreadID }
                #expect(after != pinned)
                return pinned
            }
            #expect(pool.counts.lent == 0)
            #expect(try await pool.withConnection { $0.serverThreadID } != pinned)
        }
    }

    @Test("a read whose pinned connection is lost is attempted once more, as without pinning, not twice")
    func pinnedRetryCountsAsFirstAttempt() async throws {
        try await withFreshPool(poolSize: 3) { pool, _ in
            let attempts = LockedState(0)
            try await pool.withPinnedConnection {
                // Every attempt loses its connection: the read fails after its one retry.
                let error = await expectDatabaseError(.connectionLost) {
                    try await pool.withConnection(idempotent: true) { connection in
                        attempts.withLock { $0 += 1 }
                        try await admin("KILL CONNECTION " + String(connection.serverThreadID))
                        return try await connection.execute("SELECT 1").rows.count
                    }
                }
                #expect(error != nil)
            }
            #expect(attempts.withLock { $0 } == 2)
            #expect(pool.counts.lent == 0)
        }
    }

    @Test("the facade's repositories work pinned")
    func facade() async throws {
        try await withFreshPool(poolSize: 2) { pool, _ in
            let db = EventflowDB.mariaDB(pool: pool, logger: TestServer.logger)
            try await db.setupTableSchemas()
            let count = try await db.withPinnedConnection {
                for index in 0..<10 {
                    _ = try await db.events.persistEvent(NewEvent(domain: "pinned", pid: "p", name: "n\(index)"))
                }
                return try await db.events.readEvents(domain: "pinned", pid: "p").count
            }
            #expect(count == 10)
        }
    }
}

@Suite("Driver: a pin ends with its block")
struct PinEndsWithBlockTests {
    @Test(
        "a task started inside a pinned block writes through the pool once the block returned: every acknowledged write is stored",
        arguments: [1, 4])
    func taskOutlivingThePinLosesNoWrite(poolSize: Int) async throws {
        try await withFreshPool(poolSize: poolSize) { pool, _ in
            let db = EventflowDB.mariaDB(pool: pool, logger: TestServer.logger)
            try await db.setupTableSchemas()
            var writers: [Task<String?, Never>] = []
            for index in 0..<150 {
                // The task inherits the pin (a task-local) and runs on after the block returned,
                // while the caller's next publish fails and rolls back its transaction.
                let writer = try await db.withPinnedConnection {
                    Task { try? await db.events.persistEvent(NewEvent(domain: "pin", pid: "late", name: "n\(index)")) }
                }
                writers.append(writer)
                _ = try? await db.publish(
                    NewEvent(domain: "pin", pid: "other", name: "n"), publisher: "s", hub: "no-hub")
            }
            var acknowledged: [String] = []
            for writer in writers {
                if let id = await writer.value { acknowledged.append(id) }
            }
            let stored = Set(try await db.events.readEvents(domain: "pin", pid: "late").map(\.id))
            #expect(acknowledged.count == 150)
            #expect(acknowledged.filter { !stored.contains($0) }.isEmpty, "acknowledged writes missing")
            #expect(pool.counts.lent == 0)
        }
    }

    @Test("a block whose late task is mid-statement on the pinned connection returns only after that statement")
    func blockEndWaitsForTheLateStatement() async throws {
        try await withFreshPool(poolSize: 1) { pool, _ in
            let started = LockedState(false)
            let finished = LockedState(false)
            let late = try await pool.withPinnedConnection {
                let late = Task {
                    try await pool.withConnection { connection in
                        started.withLock { $0 = true }
                        _ = try await connection.execute("SELECT SLEEP(0.3)")
                        finished.withLock { $0 = true }
                    }
                }
                while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                return late
            }
            // The connection went back to the pool (to be lent again) only once the statement was done.
            #expect(finished.withLock { $0 })
            try await late.value
            #expect(pool.counts.lent == 0)
        }
    }
}

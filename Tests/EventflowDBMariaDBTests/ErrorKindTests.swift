import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("Driver: server errors are classified")
struct ErrorKindTests {
    @Test("duplicate key, foreign key (both directions) and CHECK failures carry their numbers")
    func constraintErrors() async throws {
        try await withFreshPool { pool, _ in
            try await pool.withConnection { connection in
                try await connection.query("CREATE TABLE p (id INT PRIMARY KEY) ENGINE=InnoDB")
                try await connection.query(
                    """
                    CREATE TABLE ch (id INT PRIMARY KEY, p INT, doc JSON, \
                    FOREIGN KEY (p) REFERENCES p (id)) ENGINE=InnoDB
                    """
                )
                _ = try await connection.execute("INSERT INTO p VALUES (?)", [.int(1)])
                _ = try await connection.execute("INSERT INTO ch (id, p) VALUES (?, ?)", [.int(1), .int(1)])

                let duplicate = await expectDatabaseError(.duplicateKey) {
                    try await connection.execute("INSERT INTO p VALUES (?)", [.int(1)])
                }
                #expect(duplicate?.number == 1062 && duplicate?.sqlState == "23000")
                let missingParent = await expectDatabaseError(.foreignKey) {
                    try await connection.execute("INSERT INTO ch (id, p) VALUES (?, ?)", [.int(2), .int(9)])
                }
                #expect(missingParent?.number == 1452)
                let referenced = await expectDatabaseError(.foreignKey) {
                    try await connection.execute("DELETE FROM p WHERE id = ?", [.int(1)])
                }
                #expect(referenced?.number == 1451)
                let badJSON = await expectDatabaseError(.constraint) {
                    try await connection.execute(
                        "INSERT INTO ch (id, doc) VALUES (?, ?)", [.int(3), .string("{not json")])
                }
                #expect(badJSON?.number == 4025)
                // The connection stays usable after statement errors.
                #expect(try await connection.execute("SELECT COUNT(*) FROM p").rows[0].int(0) == 1)
                #expect(connection.isBroken == false)
            }
        }
    }

    @Test("a lock wait timeout and a deadlock are told apart")
    func lockErrors() async throws {
        try await withFreshPool { pool, _ in
            try await pool.withConnection {
                try await $0.query("CREATE TABLE r (id INT PRIMARY KEY, v INT) ENGINE=InnoDB")
            }
            _ = try await pool.withConnection { try await $0.execute("INSERT INTO r VALUES (1, 0), (2, 0)") }

            // Lock wait timeout: one transaction holds row 1 while another waits 1 s for it.
            try await pool.withTransaction { holder in
                _ = try await holder.execute("UPDATE r SET v = v + 1 WHERE id = ?", [.int(1)])
                let waited = await expectDatabaseError(.lockWaitTimeout) {
                    try await pool.withConnection { waiter in
                        try await waiter.query("SET SESSION innodb_lock_wait_timeout = 1")
                        return try await waiter.execute("UPDATE r SET v = v + 1 WHERE id = ?", [.int(1)])
                    }
                }
                #expect(waited?.number == 1205)
            }

            // Deadlock: two transactions lock rows 1 and 2 in opposite orders, each taking its
            // second row only once both hold their first (however long connecting took).
            let firstLocks = Counter()
            let results = await withTaskGroup(of: DatabaseError.Kind?.self) { group in
                for order in [[1, 2], [2, 1]] {
                    group.addTask {
                        do {
                            try await pool.withTransaction { connection in
                                _ = try await connection.execute(
                                    "UPDATE r SET v = v + 1 WHERE id = ?", [.int(Int64(order[0]))])
                                firstLocks.increment()
                                while firstLocks.value < 2 { try await Task.sleep(for: .milliseconds(10)) }
                                _ = try await connection.execute(
                                    "UPDATE r SET v = v + 1 WHERE id = ?", [.int(Int64(order[1]))])
                            }
                            return nil
                        } catch let error as DatabaseError {
                            return error.kind
                        } catch {
                            return .other
                        }
                    }
                }
                return await group.reduce(into: [DatabaseError.Kind?]()) { $0.append($1) }
            }
            #expect(results.compactMap { $0 } == [.deadlock])
        }
    }

    @Test("a connection killed by the server reports a lost connection and is marked broken")
    func lostConnection() async throws {
        try await withFreshPool(poolSize: 1) { pool, _ in
            try await pool.withConnection { connection in
                try await admin("KILL CONNECTION " + String(connection.serverThreadID))
                let lost = await expectDatabaseError(.connectionLost) { try await connection.execute("SELECT 1") }
                #expect([2006, 2013, 1927].contains(lost?.number ?? 0))
                #expect(connection.isBroken)
            }
        }
    }

    @Test(
        "wrong credentials and an unreachable server fail to connect with a clear error that never shows the password")
    func connectFailures() async throws {
        var configuration = TestServer.configuration
        configuration.password = "not-the-password-XYZ"
        let refused = await expectDatabaseError(.authentication) {
            try await MariaDBConnection.connect(configuration: configuration, logger: TestServer.logger)
        }
        #expect(refused?.number == 1045)
        #expect(refused.map { !"\($0)".contains("not-the-password-XYZ") } == true)

        var unreachable = TestServer.configuration
        unreachable.port = 1
        let error = await expectDatabaseError(.connectionLost) {
            try await MariaDBConnection.connect(configuration: unreachable, logger: TestServer.logger)
        }
        #expect(error?.number == 2002 || error?.number == 2003)
    }
}

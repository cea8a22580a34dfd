import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

/// The built `eventflow-db`, next to the test bundle.
let executable: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "eventflow-db"
    ).path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../.build/debug/eventflow-db"
    ).standardized.path
}()

/// Runs the command against a database of its own on the test server.
struct CommandFixture {
    let configuration: MariaDBConfiguration

    static func make() async throws -> CommandFixture {
        CommandFixture(configuration: try await TestServer.makeDatabase(prefix: "ef_cli"))
    }

    var environment: [String: String] {
        [
            "EVENTFLOW_MYSQL_HOST": configuration.host, "EVENTFLOW_MYSQL_PORT": String(configuration.port),
            "EVENTFLOW_MYSQL_USER": configuration.user, "EVENTFLOW_MYSQL_PASS": configuration.password,
            "EVENTFLOW_MYSQL_DB": configuration.database, "EVENTFLOW_DB_DRIVER": "mariadb",
        ]
    }

    func run(_ arguments: String...) async throws -> CommandRunner.Result {
        try await CommandRunner.run(executable, arguments, environment: environment)
    }

    /// Runs the command, measuring its peak resident set size.
    func measure(_ arguments: String...) async throws -> CommandRunner.Result {
        try await CommandRunner.runMeasuringPeak(executable, arguments, environment: environment)
    }

    /// The library on the same database, to set up rows and check what the command did.
    func withDB<T>(_ body: (EventflowDB) async throws -> T) async throws -> T {
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        let result = try await body(db)
        try await db.close()
        return result
    }

    func drop() async throws {
        try await TestServer.dropDatabase(configuration.database)
    }
}

/// How many migration files `Migrations/` holds: all of them are applied by `migrate`.
private let migrationCount: Int = {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Migrations")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.standardized.path)) ?? []
    return files.filter { $0.hasSuffix(".sql") }.count
}()

@Suite("eventflow-db command")
struct CLITests {
    @Test("migrate --dry-run lists the pending migrations, migrate applies them, and again finds nothing to do")
    func migrate() async throws {
        let fixture = try await CommandFixture.make()
        let dryRun = try await fixture.run("migrate", "--dry-run")
        #expect(dryRun.status == 0)
        // Every migration file is pending: the first, one in between and the last.
        #expect(
            dryRun.standardOutput.contains("Pending migrations (\(migrationCount))")
                && dryRun.standardOutput.contains("baseline")
                && dryRun.standardOutput.contains("hub_ip_ipv6")
                && dryRun.standardOutput.contains("scheduled_lifecycle"))
        let applied = try await fixture.run("migrate")
        #expect(applied.status == 0)
        #expect(applied.standardOutput.contains("applied baseline") && applied.standardOutput.contains("Done."))
        let again = try await fixture.run("migrate")
        #expect(again.standardOutput.contains("Nothing to migrate"))
        try await fixture.drop()
    }

    @Test("status names the original's schema generation before migrate adopts it, and 'current' after")
    func statusNamesGeneration() async throws {
        let fixture = try await CommandFixture.make()
        let pool = MariaDBConnectionPool(configuration: fixture.configuration, logger: TestServer.logger)
        try await pool.withConnection { connection in
            for statement in OriginalSchema.v4_1.statements { try await connection.query(statement) }
            _ = try await connection.execute(
                OriginalSchema.eventInsert,
                [
                    .string("e1"), .datetime(Date()), .string("orders"), .null, .string("o-1"), .string("created"),
                    .string("{}"),
                ])
            _ = try await connection.execute(OriginalSchema.v4_1.cpidInsert, [.string("e1"), .string("inv-1")])
        }
        await pool.close()
        let before = try await fixture.run("status")
        #expect(before.status == 0)
        #expect(before.standardOutput.contains("Schema: original v4.1.0"), "\(before.standardOutput)")
        let dryRun = try await fixture.run("migrate", "--dry-run")
        #expect(dryRun.standardOutput.contains("error 1052"), "the operator is told before adopting")
        let migrated = try await fixture.run("migrate")
        #expect(migrated.status == 0 && migrated.standardOutput.contains("Adopting it in place"))
        #expect(migrated.standardOutput.contains("error 1052"), "v4.1.x services' cpid read fails once adopted")
        let after = try await fixture.run("status")
        #expect(after.standardOutput.contains("Schema: current"))
        let events = try await fixture.run("events", "--domain", "orders", "--cpid", "inv-1")
        #expect(events.status == 0 && events.standardOutput.contains("e1"), "\(events.standardOutput)")
        try await fixture.drop()
    }

    @Test("status shows migrations, row counts, online hubs and waiting events")
    func status() async throws {
        let fixture = try await CommandFixture.make()
        try await fixture.withDB { db in
            _ = try await db.hubs.persistHub(
                NewHub(id: "hub-1", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 2))
            let id = try await db.events.persistEvent(NewEvent(domain: "d", pid: "p", name: "n"))
            _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "s"))
        }
        let result = try await fixture.run("status")
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("Migrations: \(migrationCount) applied, 0 pending"))
        #expect(result.standardOutput.contains("event            1"))
        #expect(result.standardOutput.contains("Online hubs: 1") && result.standardOutput.contains("hub-1"))
        #expect(result.standardOutput.contains("Waiting: 1 published event not consumed by a hub"))
        try await fixture.drop()
    }

    @Test("events prints an event log as a table or JSON lines, and by eid, cpid, id and names")
    func events() async throws {
        let fixture = try await CommandFixture.make()
        let ids = try await fixture.withDB { db in
            let first = try await db.events.persistEvent(
                NewEvent(
                    id: "e-1", timestamp: Date(timeIntervalSince1970: 1_767_323_045.678), domain: "orders", pid: "o-1",
                    name: "created", data: ["n": 1]))
            let second = try await db.events.persistEvent(
                NewEvent(
                    id: "e-2", timestamp: Date(timeIntervalSince1970: 1_767_323_046), domain: "orders", pid: "o-1",
                    name: "paid"))
            _ = try await db.events.persistEventEid(eventID: second, eid: "customer-9")
            _ = try await db.events.persistEventCpid(eventID: first, domain: "billing", cpid: "inv-1")
            return [first, second]
        }
        let table = try await fixture.run("events", "--domain", "orders", "--pid", "o-1")
        #expect(table.status == 0)
        #expect(
            table.standardOutput.contains("2026-01-02T03:04:05.678Z  e-1") && table.standardOutput.contains("2 events"))

        let json = try await fixture.run("events", "--domain", "orders", "--pid", "o-1", "--json")
        let lines = json.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let parsed = try lines.map { try JSONValue(parsing: $0) }
        #expect(parsed.map { $0["id"] } == ids.map { .string($0) })
        #expect(parsed[0]["data"] == ["n": 1])

        #expect(
            try await fixture.run("events", "--domain", "orders", "--pid", "o-1", "--names", "paid", "--json")
                .standardOutput
                .contains("\"e-2\""))
        #expect(
            try await fixture.run("events", "--domain", "orders", "--pid", "o-1", "--from", "2026-01-02T03:04:06Z")
                .standardOutput.contains("1 event"))
        #expect(try await fixture.run("events", "--eid", "customer-9").standardOutput.contains("e-2"))
        #expect(
            try await fixture.run("events", "--cpid", "inv-1", "--domain", "billing").standardOutput.contains("e-1"))
        #expect(try await fixture.run("events", "--id", "e-2", "--json").standardOutput.contains("\"paid\""))

        let missing = try await fixture.run("events", "--id", "nope")
        #expect(missing.status == 3)
        #expect(
            missing.standardError.contains("E_EVENTFLOW_DB_EVENT_NOT_FOUND") && missing.standardError.contains("hint:"))
        let usage = try await fixture.run("events", "--domain", "orders")
        #expect(usage.status != 0 && usage.standardError.contains("exactly one of"))
        try await fixture.drop()
    }

    @Test("hubs lists online hubs, --all also those that quit, --seen-within the live ones, and quit marks one")
    func hubs() async throws {
        let fixture = try await CommandFixture.make()
        try await fixture.withDB { db in
            _ = try await db.hubs.persistHub(
                NewHub(id: "hub-a", externalIP: "10.0.0.1", externalPort: 1, internalIP: "10.0.0.1", internalPort: 2))
            _ = try await db.hubs.persistHub(
                NewHub(id: "hub-b", externalIP: "::1", externalPort: 3, internalIP: "::1", internalPort: 4))
        }
        #expect(try await fixture.run("hubs", "quit", "hub-a").standardOutput.contains("Hub hub-a marked as quit."))
        let online = try await fixture.run("hubs")
        #expect(
            online.status == 0 && !online.standardOutput.contains("hub-a") && online.standardOutput.contains("hub-b"))
        let all = try await fixture.run("hubs", "--all")
        #expect(all.standardOutput.contains("hub-a") && all.standardOutput.contains("hub-b"))
        #expect(try await fixture.run("hubs", "quit", "hub-a").standardOutput.contains("unknown or had already quit"))
        #expect(try await fixture.run("hubs", "--seen-within", "60").standardOutput.contains("No live hubs."))
        try await fixture.withDB { db in _ = try await db.hubs.recordHeartbeat(hubID: "hub-b") }
        let live = try await fixture.run("hubs", "--seen-within", "60")
        #expect(live.standardOutput.contains("hub-b") && live.standardOutput.contains("last seen"))
        try await fixture.drop()
    }

    @Test("certificates show never prints key material, and revoke-expired revokes the expired ones")
    func certificates() async throws {
        let fixture = try await CommandFixture.make()
        let secretKey = Array("TOP-SECRET-KEY-MATERIAL".utf8)
        try await fixture.withDB { db in
            let valid = Certificate(
                id: "live", validity: Date().addingTimeInterval(3600), cert: "-----BEGIN CERTIFICATE-----",
                key: secretKey,
                keyIV: [1], keySalt: [2], keyTag: [3], pass: Array("TOP-SECRET-PASS".utf8), passIV: [4], passSalt: [5],
                passTag: [6])
            var expired = valid
            expired.id = "old"
            expired.validity = Date().addingTimeInterval(-3600)
            _ = try await db.certificates.persistCertificate(valid)
            _ = try await db.certificates.persistCertificate(expired)
        }
        let shown = try await fixture.run("certificates", "show", "live")
        #expect(shown.status == 0)
        #expect(shown.standardOutput.contains("key:       23 bytes (encrypted, not shown)"))
        #expect(!shown.standardOutput.contains("TOP-SECRET"))
        let revoked = try await fixture.run("certificates", "revoke-expired")
        #expect(revoked.standardOutput.contains("Revoked 1 certificate."))
        #expect(try await fixture.run("certificates", "show", "old").status == 3)
        try await fixture.drop()
    }

    @Test("log tail prints an agent's lines and log archive archives once")
    func log() async throws {
        let fixture = try await CommandFixture.make()
        try await fixture.withDB { db in
            try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "héllo 😀", error: ["message": "boom"]))
            try await db.logs.persistLog(NewLogEntry(agent: "hub-2", message: "other"))
        }
        let tail = try await fixture.run("log", "tail", "--agent", "hub-1", "--since", "1h")
        #expect(tail.status == 0)
        #expect(tail.standardOutput.contains("hub-1  héllo 😀  error: {\"message\":\"boom\"}"))
        #expect(!tail.standardOutput.contains("other"))
        let archived = try await fixture.run("log", "archive", "--before", "2026-01-02")
        #expect(archived.standardOutput.contains("Archived into p_cold_20260102."))
        #expect(
            try await fixture.run("log", "archive", "--before", "2026-01-02").standardOutput.contains(
                "Already archived"))
        let backwards = try await fixture.run("log", "archive", "--before", "2025-01-01")
        #expect(backwards.status == 1 && backwards.standardError.contains("E_EVENTFLOW_DB_LOG_ARCHIVE"))
        #expect(backwards.standardError.contains("already archived up to 2026-01-02"))
        try await fixture.drop()
    }

    @Test("dead-letters lists deliveries failed for good, requeue and discard act on dead letters only")
    func deadLetters() async throws {
        let fixture = try await CommandFixture.make()
        let id = try await fixture.withDB { db in
            _ = try await db.hubs.persistHub(
                NewHub(id: "hub-d", externalIP: "10.0.0.9", externalPort: 9, internalIP: "10.0.0.9", internalPort: 9))
            let id = try await db.publish(NewEvent(domain: "d", pid: "p", name: "n"), publisher: "s")
            _ = try await db.published.claimDelivery(eventID: id, hubID: "hub-d", lease: .seconds(60), maxAttempts: 1)
            _ = try await db.published.failDelivery(eventID: id, hubID: "hub-d", maxAttempts: 1, retryAfter: .zero)
            return id
        }
        let listed = try await fixture.run("dead-letters", "list")
        #expect(
            listed.status == 0 && listed.standardOutput.contains(id) && listed.standardOutput.contains("1 dead letter"))
        let requeued = try await fixture.run("dead-letters", "requeue", id)
        #expect(requeued.status == 0 && requeued.standardOutput.contains("Requeued \(id)."))
        #expect(try await fixture.run("dead-letters").standardOutput.contains("No dead letters."))
        let again = try await fixture.run("dead-letters", "requeue", id)
        #expect(again.status == 0 && again.standardOutput.contains("Nothing to requeue"))
        let notDead = try await fixture.run("dead-letters", "discard", id)
        #expect(notDead.status == 0 && notDead.standardOutput.contains("Nothing to discard"))
        try await fixture.withDB { db in _ = try await db.published.updateEventPublishedToFailed(eventID: id) }
        let discarded = try await fixture.run("dead-letters", "discard", id)
        #expect(discarded.status == 0 && discarded.standardOutput.contains("Discarded \(id)."))
        let refused = try await fixture.run("dead-letters", "list", "--limit", "0")
        #expect(refused.status == 2 && refused.standardError.contains("E_EVENTFLOW_DB_INVALID_INPUT"))
        try await fixture.drop()
    }

    @Test("watch draws the backlog: waiting, due, unfinished, dead letters and hubs, refreshed")
    func watch() async throws {
        let fixture = try await CommandFixture.make()
        try await fixture.withDB { db in
            _ = try await db.hubs.persistHub(
                NewHub(id: "hub-w", externalIP: "10.0.0.9", externalPort: 9, internalIP: "10.0.0.9", internalPort: 9))
            let id = try await db.publish(NewEvent(domain: "d", pid: "p", name: "n"), publisher: "s")
            _ = try await db.published.updateEventPublishedToFailed(eventID: id)
            _ = try await db.publish(NewEvent(domain: "d", pid: "p", name: "waiting"), publisher: "s")
            _ = try await db.publish(
                NewEvent(domain: "d", pid: "p", name: "later"), publisher: "s", scheduled: Date().addingTimeInterval(-5)
            )
            let first = try await db.follow.readFollowed(domain: "d", after: 0, limit: 1)
            try await db.follow.updateConsumerPosition(name: "projection", domain: "d", position: first[0].position)
        }
        try await Task.sleep(for: .seconds(1.1))
        let result = try await fixture.run("watch", "--count", "2", "--interval", "0.2")
        #expect(result.status == 0, "\(result.standardError)")
        let out = result.standardOutput
        #expect(out.components(separatedBy: "eventflow-db watch").count == 3, "two frames")
        #expect(out.contains("published, not consumed by a hub  2 events"))
        #expect(out.contains("scheduled and due                 1 event"))
        #expect(out.contains("dead letters                      1 event"))
        #expect(out.contains("online hubs                       1") && out.contains("hub-w"))
        #expect(out.contains("feed consumers                    1") && out.contains("projection  d  at "))
        #expect(out.contains(", 2 events behind"))  // three events in d, the consumer at the first
        let refused = try await fixture.run("watch", "--count", "1", "--interval", "nan")
        #expect(refused.status == 2)
        try await fixture.drop()
    }

    @Test("retention deletes finished deliveries and schedules, keeps open ones, and refuses a bad batch size")
    func retention() async throws {
        let fixture = try await CommandFixture.make()
        try await fixture.withDB { db in
            let done = try await db.publish(NewEvent(domain: "d", pid: "p", name: "n"), publisher: "s")
            _ = try await db.published.updateEventPublishedToSuccess(eventID: done)
            _ = try await db.publish(NewEvent(domain: "d", pid: "p", name: "open"), publisher: "s")
        }
        try await Task.sleep(for: .seconds(1.1))  // stamps have second precision
        let result = try await fixture.run("retention", "--before", "0s", "--batch", "10")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Deleted 1 delivery rows and 0 schedule rows."))
        let left = try await fixture.withDB { db in
            try await db.published.readEventsPublishedNotConsumed(publishedBefore: Date(), limit: 10)
        }
        #expect(left.count == 1)
        let refused = try await fixture.run("retention", "--before", "0s", "--batch", "0")
        #expect(refused.status == 2 && refused.standardError.contains("E_EVENTFLOW_DB_INVALID_INPUT"))
        try await fixture.drop()
    }

    @Test("demo tells the whole story and passes every check, on MariaDB and in memory")
    func demo() async throws {
        let fixture = try await CommandFixture.make()
        let onServer = try await fixture.run("demo")
        #expect(onServer.status == 0, "\(onServer.standardError)")
        #expect(onServer.standardOutput.contains("exactly one hub won"))
        #expect(onServer.standardOutput.contains("Summary: 12 of 12 checks passed."))
        let inMemory = try await CommandRunner.run(
            executable, ["demo", "--driver", "memory"], environment: ["EVENTFLOW_MYSQL_PORT": "1"])
        #expect(inMemory.status == 0)
        #expect(inMemory.standardOutput.contains("Summary: 12 of 12 checks passed."))
        try await fixture.drop()
    }

    @Test(
        "durations and dates out of range on the command line are invalid input with exit 2, never a crash",
        arguments: [
            ["lock", "hold", "x", "--seconds", "1e20"], ["lock", "hold", "x", "--timeout", "nan"],
            ["log", "archive", "--before", "1e20s"],
            ["log", "archive", "--before", "1e400d"],
        ])
    func outOfRangeArguments(arguments: [String]) async throws {
        let result = try await CommandRunner.run(executable, arguments + ["--driver", "memory"], environment: [:])
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("E_EVENTFLOW_DB_INVALID_INPUT"))
    }

    @Test("an unreachable server fails with a code, a hint and exit 4, and never shows the password")
    func unreachable() async throws {
        let result = try await CommandRunner.run(
            executable, ["status"],
            environment: [
                "EVENTFLOW_MYSQL_PORT": "1", "EVENTFLOW_MYSQL_PASS": "hunter2-secret", "EVENTFLOW_DB_DRIVER": "mariadb",
            ])
        #expect(result.status == 4)
        #expect(result.standardError.contains("E_EVENTFLOW_DB_") && result.standardError.contains("hint:"))
        #expect(!(result.standardError + result.standardOutput).contains("hunter2-secret"))
    }

    @Test("a wrong password fails with a hint of its own, not the unreachable server's, and never shows the password")
    func wrongPassword() async throws {
        let fixture = try await CommandFixture.make()
        var refused = fixture.environment
        refused["EVENTFLOW_MYSQL_PASS"] = "hunter3-secret"
        var unreachable = refused
        unreachable["EVENTFLOW_MYSQL_PORT"] = "1"
        let login = try await CommandRunner.run(executable, ["status"], environment: refused)
        let network = try await CommandRunner.run(executable, ["status"], environment: unreachable)
        func hint(_ result: CommandRunner.Result) -> [Substring] {
            result.standardError.split(separator: "\n").filter { $0.hasPrefix("hint:") }
        }
        #expect(login.status != 0 && !hint(login).isEmpty)
        #expect(hint(login) != hint(network))
        #expect(!(login.standardError + login.standardOutput).contains("hunter3-secret"))
        try await TestServer.dropDatabase(fixture.configuration.database)
    }
}

@Suite("Locks across processes")
struct CrossProcessLockTests {
    @Test("a lock held by another process excludes this one, and is released when that process dies")
    func anotherProcessHoldsTheLock() async throws {
        let fixture = try await CommandFixture.make()
        _ = try await fixture.withDB { try await $0.migrator.status() }  // creates the tables
        let holder = try CommandRunner.start(
            executable, ["lock", "hold", "shared-lock", "--seconds", "60"], environment: fixture.environment)
        for _ in 0..<100 where !holder.standardOutputSoFar.contains("acquired") {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(holder.standardOutputSoFar.contains("acquired shared-lock"))

        try await fixture.withDB { db in
            await expectError(.lockTimeout) {
                try await db.locks.withLock("shared-lock", timeout: .milliseconds(500)) { 1 }
            }
            holder.kill()  // SIGKILL: the holder never releases; its connection dies with it
            _ = await holder.finished()
            let clock = ContinuousClock()
            let waited = try await clock.measure {
                let value = try await db.locks.withLock("shared-lock", timeout: .seconds(10)) { 2 }
                #expect(value == 2)
            }
            #expect(waited < .seconds(5), "released with the dead holder's connection, after \(waited)")
        }

        // And the other way round: while this process holds it, a second process cannot take it.
        try await fixture.withDB { db in
            try await db.locks.withLock("shared-lock", timeout: .seconds(5)) {
                let second = try await CommandRunner.run(
                    executable, ["lock", "hold", "shared-lock", "--seconds", "0", "--timeout", "0.5"],
                    environment: fixture.environment)
                #expect(second.status == 1)
                #expect(second.standardError.contains("E_EVENTFLOW_DB_LOCK_TIMEOUT"))
            }
        }
        try await fixture.drop()
    }
}

/// `events` and `log tail` over logs of many pages: read a page at a time, printed as read.
@Suite("eventflow-db command: long logs")
struct CLILongLogTests {
    @Test("events and log tail print a log of several pages exactly as they print it in one page")
    func severalPagesPrintAsOne() async throws {
        let fixture = try await CommandFixture.make()
        try await fixture.withDB { db in
            let start = Date(timeIntervalSince1970: 1_767_323_045.678)
            for index in 0..<7 {
                // Pairs of events share a timestamp: pages must split them in insertion order.
                let id = try await db.events.persistEvent(
                    NewEvent(
                        id: "event-\(index)", timestamp: start.addingTimeInterval(Double(index / 2)),
                        domain: "orders", pid: "o-1", name: index % 2 == 0 ? "created" : "paid",
                        data: ["n": .integer(Int64(index))]))
                _ = try await db.events.persistEventEid(eventID: id, eid: "customer-1")
                _ = try await db.events.persistEventCpid(eventID: id, domain: "billing", cpid: "inv-1")
                try await db.logs.persistLog(NewLogEntry(agent: "hub-1", message: "line \(index)"))
            }
        }
        let selections: [[String]] = [
            ["events", "--domain", "orders", "--pid", "o-1"],
            ["events", "--domain", "orders", "--pid", "o-1", "--json"],
            ["events", "--domain", "orders", "--pid", "o-1", "--names", "paid", "--json"],
            ["events", "--domain", "orders", "--pid", "o-1", "--from", "2026-01-02T03:04:06.678Z"],
            ["events", "--eid", "customer-1", "--domain", "orders", "--json"],
            ["events", "--cpid", "inv-1", "--domain", "billing"],
            ["log", "tail", "--agent", "hub-1", "--lines", "5"],
        ]
        for arguments in selections {
            let onePage = try await CommandRunner.run(
                executable, arguments + ["--page-size", "1000"], environment: fixture.environment)
            let pages = try await CommandRunner.run(
                executable, arguments + ["--page-size", "2"], environment: fixture.environment)
            #expect(onePage.status == 0 && pages.status == 0, "\(arguments): \(pages.standardError)")
            #expect(pages.standardOutput == onePage.standardOutput, "\(arguments)")
        }
        let table = try await fixture.run("events", "--domain", "orders", "--pid", "o-1", "--page-size", "2")
        let rows = table.standardOutput.split(separator: "\n").dropFirst().dropLast()
        #expect(rows.map { String($0.split(separator: " ")[1]) } == (0..<7).map { "event-\($0)" })
        #expect(table.standardOutput.hasSuffix("7 events\n"))
        let json = try await fixture.run("events", "--domain", "orders", "--pid", "o-1", "--json", "--page-size", "3")
        let parsed = try json.standardOutput.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(parsed.map { $0["id"] } == (0..<7).map { .string("event-\($0)") })
        let tail = try await fixture.run("log", "tail", "--lines", "3", "--page-size", "2")
        #expect(tail.standardOutput.split(separator: "\n").map { $0.suffix(6) } == ["line 4", "line 5", "line 6"])
        try await fixture.drop()
    }

    @Test("events and log tail over 30 MB of rows stay within a few MiB of printing one row")
    func longLogsInBoundedMemory() async throws {
        let fixture = try await CommandFixture.make()
        _ = try await fixture.withDB { try await $0.migrator.status() }
        var seeding = fixture.configuration
        seeding.readTimeout = .seconds(300)  // a shared, busy server
        let pool = MariaDBConnectionPool(configuration: seeding, logger: TestServer.logger)
        try await pool.withConnection { connection in
            // 30,000 events and log lines of about 1 KB each, made by the server, 5,000 a statement.
            for chunk in 0..<6 {
                let rows = "FROM seq_\(chunk * 5_000 + 1)_to_\(chunk * 5_000 + 5_000)"
                try await connection.query(
                    """
                    INSERT INTO event (id, timestamp, domain, pid, name, data) SELECT CONCAT('e-', LPAD(seq, 6, '0')), \
                    TIMESTAMPADD(MICROSECOND, seq * 1000, '2026-01-01 00:00:00'), 'd', 'p', 'created', \
                    JSON_OBJECT('n', seq, 'note', REPEAT('x', 1000)) \(rows)
                    """)
                try await connection.query(
                    """
                    INSERT INTO log (timestamp, agent, message, error) SELECT TIMESTAMPADD(MICROSECOND, seq * 1000, \
                    '2026-01-01 00:00:00'), 'hub-1', CONCAT('line ', seq, ' ', REPEAT('y', 1000)), '{}' \(rows)
                    """)
            }
        }
        // What the same binary needs to print one row: the bound is relative to it, so it holds
        // for an instrumented build as well.
        let one = try await fixture.measure("events", "--id", "e-000001", "--json")
        #expect(one.status == 0)
        let bound = try #require(one.peakResidentKiB) + 32 * 1024

        let json = try await fixture.measure("events", "--domain", "d", "--pid", "p", "--json")
        #expect(json.status == 0)
        #expect(try #require(json.peakResidentKiB) < bound, "events --json peaked at \(json.peakResidentKiB ?? 0) KiB")
        let lines = json.standardOutput.split(separator: "\n")
        try #require(lines.count == 30_000)
        #expect(try JSONValue(parsing: String(lines[0]))["id"] == "e-000001")
        #expect(try JSONValue(parsing: String(lines[29_999]))["id"] == "e-030000")

        let table = try await fixture.measure("events", "--domain", "d", "--pid", "p")
        #expect(try #require(table.peakResidentKiB) < bound, "events peaked at \(table.peakResidentKiB ?? 0) KiB")
        #expect(table.standardOutput.hasSuffix("30000 events\n"))

        let tail = try await fixture.measure("log", "tail", "--lines", "2")
        #expect(try #require(tail.peakResidentKiB) < bound, "log tail peaked at \(tail.peakResidentKiB ?? 0) KiB")
        let newest = tail.standardOutput.split(separator: "\n")
        #expect(newest.count == 2 && newest[0].contains("line 29999 ") && newest[1].contains("line 30000 "))
        // Dropping 60 MB can outlast the admin pool's read timeout on a busy server.
        try await pool.withConnection { try await $0.query("DROP DATABASE `" + fixture.configuration.database + "`") }
        await pool.close()
    }
}

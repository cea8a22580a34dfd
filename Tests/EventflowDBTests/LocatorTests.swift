import EventflowDB
import EventflowDBInMemory
import EventflowDBMariaDB
import Foundation
import Testing

@Suite("Locator and configuration")
struct LocatorTests {
    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-\(UUID().uuidString).json")
            .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a config file selects the memory driver and the locator hands out working repositories")
    func memoryDriver() async throws {
        let path = try write(#"{"eventflow":{"db":{"driver":"memory"}}}"#)
        let locator = try await Locator.load(configFile: path, environment: [:], drivers: [.memory()])
        let events = try locator.locate((any EventRepository).self)
        let id = try await events.persistEvent(NewEvent(domain: "d", pid: "p", name: "n"))
        let db = try locator.locate(EventflowDB.self)
        #expect(try await db.events.readEvent(id: id).name == "n")
    }

    @Test("config keys are read, and the original's environment variables override them")
    func keysAndOverrides() async throws {
        let path = try write(
            """
            {"eventflow":{"db":{"driver":"mariadb","host":"db.internal","port":3307,"user":"hub","password":"from-file",
            "database":"events","pool":{"size":5,"acquireTimeout":2.5},"tls":{"enabled":true,"ca":"/etc/ca.pem"}}}}
            """)
        let fromFile = try await MariaDBConfiguration.load(configFile: path, environment: [:])
        #expect(fromFile.host == "db.internal" && fromFile.port == 3307 && fromFile.user == "hub")
        #expect(fromFile.password == "from-file" && fromFile.database == "events" && fromFile.poolSize == 5)
        #expect(fromFile.acquireTimeout == .milliseconds(2500))
        #expect(fromFile.tls == MariaDBConfiguration.TLS(caFile: "/etc/ca.pem"))

        let overridden = try await MariaDBConfiguration.load(
            configFile: path,
            environment: [
                "EVENTFLOW_MYSQL_HOST": "10.1.1.1", "EVENTFLOW_MYSQL_PORT": "3308", "EVENTFLOW_MYSQL_USER": "root",
                "EVENTFLOW_MYSQL_PASS": "s3cret-pass", "EVENTFLOW_MYSQL_DB": "other",
                "EVENTFLOW_MYSQL_CONNECTION_LIMIT": "20",
                "EVENTFLOW_MYSQL_SOCKET_PATH": "/run/mysqld.sock", "EVENTFLOW_MYSQL_SSL": "false",
                "EVENTFLOW_MYSQL_TIMEZONE": "UTC", "EVENTFLOW_MYSQL_CHARSET": "utf8mb4",
            ])
        #expect(overridden.host == "10.1.1.1" && overridden.port == 3308 && overridden.user == "root")
        #expect(overridden.password == "s3cret-pass" && overridden.database == "other" && overridden.poolSize == 20)
        #expect(overridden.socketPath == "/run/mysqld.sock" && overridden.tls == nil)
        #expect(!overridden.description.contains("s3cret-pass"))
        #expect(!"\(overridden)".contains("s3cret-pass"))
    }

    @Test("several nodes: a hosts list in the file, a comma-separated variable, and a clear error for a bad entry")
    func hosts() async throws {
        let path = try write(
            """
            {"eventflow":{"db":{"driver":"mariadb","hosts":["10.0.0.1:3306","[fd00::2]:3307","db-3:3308"]}}}
            """)
        let fromFile = try await MariaDBConfiguration.load(configFile: path, environment: [:])
        #expect(fromFile.hosts.map(\.description) == ["10.0.0.1:3306", "[fd00::2]:3307", "db-3:3308"])
        #expect(fromFile.host == "10.0.0.1" && fromFile.port == 3306)
        #expect(fromFile.description.contains("10.0.0.1:3306,[fd00::2]:3307,db-3:3308"))

        let fromVariable = try await MariaDBConfiguration.load(
            configFile: path, environment: ["EVENTFLOW_MYSQL_HOSTS": "127.0.0.1:33071, 127.0.0.1:33072"])
        #expect(fromVariable.hosts == [.init(host: "127.0.0.1", port: 33071), .init(host: "127.0.0.1", port: 33072)])

        let single = try await MariaDBConfiguration.load(configFile: nil, environment: ["EVENTFLOW_MYSQL_PORT": "3309"])
        #expect(single.hosts == [.init(host: "127.0.0.1", port: 3309)])

        let error = await expectConfigError {
            try await MariaDBConfiguration.load(
                configFile: nil, environment: ["EVENTFLOW_MYSQL_HOSTS": "db-1:3306,db-2"])
        }
        #expect(error.map { "\($0)".contains("eventflow.db.hosts") && "\($0)".contains("db-2") } == true)
    }

    @Test("a missing file is an error naming the file")
    func missingFile() async {
        let error = await expectConfigError {
            try await Locator.load(
                configFile: "/nonexistent/eventflow.json", environment: [:], drivers: [.memory()])
        }
        #expect(error?.message.contains("/nonexistent/eventflow.json") == true)
    }

    @Test("malformed JSON is an error naming the file")
    func malformed() async throws {
        let path = try write(#"{"eventflow": {"db": "#)
        let error = await expectConfigError {
            try await Locator.load(configFile: path, environment: [:], drivers: [.memory()])
        }
        #expect(error?.message.contains(path) == true)
    }

    @Test("an unknown driver is an error naming the file and the key")
    func unknownDriver() async throws {
        let path = try write(#"{"eventflow":{"db":{"driver":"postgres"}}}"#)
        let error = await expectConfigError {
            try await Locator.load(configFile: path, environment: [:], drivers: [.memory()])
        }
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("eventflow.db.driver") == true)
    }

    @Test("a malformed environment override is an error naming the variable")
    func badEnvironment() async {
        let error = await expectConfigError {
            try await MariaDBConfiguration.load(configFile: nil, environment: ["EVENTFLOW_MYSQL_PORT": "abc"])
        }
        #expect(error?.message.contains("EVENTFLOW_MYSQL_PORT") == true)
    }

    @Test("a time zone other than UTC is refused")
    func timezone() async {
        let error = await expectConfigError {
            try await MariaDBConfiguration.load(configFile: nil, environment: ["EVENTFLOW_MYSQL_TIMEZONE": "+02:00"])
        }
        #expect(error?.message.contains("timezone") == true)
    }

    @Test("the SPEC's spelling works: locate(EventRepository.self) and set(EventRepository.self, fake)")
    func specSpelling() async throws {
        let locator = Locator()
        let fake = InMemoryStore()
        locator.set(EventRepository.self, fake)
        let events: any EventRepository = try locator.locate(EventRepository.self)
        _ = try await events.persistEvent(NewEvent(domain: "d", pid: "p", name: "n"))
        #expect(try await fake.readDistinctPids(domain: "d") == ["p"])
        locator.register(EventflowDB.inMemory())
        let hubs = try await locator.locate(HubRepository.self).readOnlineHubs()
        #expect(hubs.isEmpty)
    }

    @Test("a locator filled by hand hands out what was set, and says what is missing")
    func byHand() async throws {
        let locator = Locator()
        let fake = InMemoryStore()
        locator.set((any EventRepository).self, fake)
        _ = try await locator.locate((any EventRepository).self).persistEvent(
            NewEvent(domain: "d", pid: "p", name: "n"))
        #expect(try await fake.readEvents(domain: "d", pid: "p").count == 1)
        #expect(throws: EventflowDBError.self) { try locator.locate((any HubRepository).self) }
    }

    @Test(
        "out-of-range numbers in the config file are configuration errors naming the key, never a trap",
        arguments: [
            (#""readTimeout":1e300"#, "readTimeout"), (#""connectTimeout":-1"#, "connectTimeout"),
            (#""port":-5"#, "port"),
            (#""port":70000"#, "port"), (#""pool":{"acquireTimeout":1e20}"#, "pool.acquireTimeout"),
            (#""ddlTimeout":0"#, "ddlTimeout"),
            (#""pool":{"size":0}"#, "pool.size"),
        ])
    func outOfRange(entry: String, key: String) async throws {
        let path = try write(#"{"eventflow":{"db":{"# + entry + "}}}")
        let error = await expectConfigError { try await MariaDBConfiguration.load(configFile: path, environment: [:]) }
        #expect(error?.message.contains("eventflow.db." + key) == true, "\(String(describing: error))")
    }

    @Test(
        "a key of the wrong type is a configuration error naming the key, never its default",
        arguments: [
            (#""writeTimeout":"abc""#, "writeTimeout"), (#""readTimeout":[1]"#, "readTimeout"),
            (#""pool":{"acquireTimeout":"2"}"#, "pool.acquireTimeout"), (#""port":"abc""#, "port"),
            (#""port":3306.5"#, "port"), (#""host":5"#, "host"), (#""user":["a"]"#, "user"),
            (#""pool":{"size":"ten"}"#, "pool.size"), (#""tls":{"enabled":"yes"}"#, "tls.enabled"),
            (#""tls":{"ca":1}"#, "tls.ca"), (#""hosts":5"#, "hosts"), (#""socketPath":false"#, "socketPath"),
            (#""timezone":0"#, "timezone"), (#""driver":1"#, "driver"), (#""password":918273645"#, "password"),
        ])
    func wrongType(entry: String, key: String) async throws {
        let path = try write(#"{"eventflow":{"db":{"# + entry + "}}}")
        let error = await expectConfigError { try await MariaDBConfiguration.load(configFile: path, environment: [:]) }
        #expect(error?.field == "eventflow.db." + key, "\(String(describing: error))")
        #expect(error.map { !"\($0)".contains("918273645") } == true, "a secret never reaches an error")
    }

    @Test(
        "an environment override of the wrong type is a configuration error naming the variable",
        arguments: [
            "EVENTFLOW_MYSQL_PORT=abc", "EVENTFLOW_MYSQL_PORT=3306.5", "EVENTFLOW_MYSQL_PORT=99999999999999999999",
            "EVENTFLOW_MYSQL_CONNECTION_LIMIT=ten", "EVENTFLOW_MYSQL_SSL=maybe",
        ])
    func wrongTypeInEnvironment(assignment: String) async {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        let error = await expectConfigError {
            try await MariaDBConfiguration.load(configFile: nil, environment: [parts[0]: parts[1]])
        }
        #expect(error?.field == parts[0], "\(String(describing: error))")
    }

    @Test("an unknown key under eventflow.db is logged as a warning with its path; known keys are not")
    func unknownKeys() async throws {
        let path = try write(
            """
            {"eventflow":{"db":{"driver":"memory","hots":"db.internal","port":3307,
            "pool":{"size":5,"sise":3},"tls":{"enabled":false}}},"other":{"x":1}}
            """)
        let (logger, records) = RecordingLogHandler.logger()
        _ = try await Locator.load(
            configFile: path, environment: [:], drivers: [.memory(), .mariaDB()], logger: logger)
        let warned = records.all.filter { $0.level == .warning }.compactMap { $0.metadata["key"]?.description }
        #expect(warned.sorted() == ["eventflow.db.hots", "eventflow.db.pool.sise"])
    }

    @Test("dates far outside any calendar format without trapping")
    func extremeDates() {
        #expect(!ISO8601Milliseconds.string(from: Date(timeIntervalSince1970: 1e20)).isEmpty)
        #expect(!ISO8601Milliseconds.string(from: Date(timeIntervalSince1970: -.infinity)).isEmpty)
        #expect(!ISO8601Milliseconds.string(from: Date(timeIntervalSince1970: .nan)).isEmpty)
        #expect(EventID.generate(at: Date(timeIntervalSince1970: 1e300)).utf8.count == 26)
        #expect(EventID.generate(at: Date(timeIntervalSince1970: .nan)).utf8.count == 26)
    }

    private func expectConfigError<T>(_ body: () async throws -> T) async -> EventflowDBError? {
        do {
            _ = try await body()
            Issue.record("expected a configuration error")
            return nil
        } catch let error as EventflowDBError {
            #expect(error.code == .configuration, "\(error)")
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }
}

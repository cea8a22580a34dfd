import EventflowDB
public import EventflowDBMariaDB
import Foundation
public import Logging

/// Where the test server is: the `EVENTFLOW_MYSQL_*` variables, defaulting to the server that
/// `make db` starts. A test that cannot reach it fails; it is never skipped.
public enum TestServer {
    public static let configuration: MariaDBConfiguration = {
        let environment = ProcessInfo.processInfo.environment
        return MariaDBConfiguration(
            host: environment["EVENTFLOW_MYSQL_HOST"] ?? "127.0.0.1",
            port: environment["EVENTFLOW_MYSQL_PORT"].flatMap(Int.init) ?? 33061,
            hosts: (environment["EVENTFLOW_MYSQL_HOSTS"] ?? "").split(separator: ",").compactMap {
                MariaDBConfiguration.Host(String($0))
            },
            user: environment["EVENTFLOW_MYSQL_USER"] ?? "eventflow",
            password: environment["EVENTFLOW_MYSQL_PASS"] ?? "eventflow-dev-password",
            database: environment["EVENTFLOW_MYSQL_DB"] ?? "eventflow",
            // A long acquire wait: the whole suite runs in parallel against one server, and under
            // that load a pool of 4 can wait its turn well past 30 s without anything being wrong.
            poolSize: 4, acquireTimeout: .seconds(120), connectTimeout: .seconds(5))
    }()

    /// A quiet logger for tests.
    public static let logger: Logger = {
        var logger = Logger(label: "eventflow.db.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A pool on the server's default database, for creating and dropping test databases.
    /// Sixteen connections: every test that uses MariaDB creates and drops its databases here.
    public static let admin: MariaDBConnectionPool = {
        var adminConfiguration = TestServer.configuration
        adminConfiguration.poolSize = 16
        return MariaDBConnectionPool(configuration: adminConfiguration, logger: logger)
    }()

    /// Creates an empty database with a unique name and returns the configuration that uses it.
    public static func makeDatabase(
        prefix: String = "ef_test", poolSize: Int = 4
    ) async throws -> MariaDBConfiguration {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        // A name of letters, digits and underscores made here: DDL cannot bind it.
        _ = try await admin.withConnection { try await $0.query("CREATE DATABASE `" + name + "`") }
        var configuration = configuration
        configuration.database = name
        configuration.poolSize = poolSize
        return configuration
    }

    /// Drops a database made by ``makeDatabase(prefix:poolSize:)``.
    public static func dropDatabase(_ name: String) async throws {
        precondition(
            name.hasPrefix("ef_")
                && name.utf8.allSatisfy { $0 == 0x5F || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) })
        _ = try await admin.withConnection { try await $0.query("DROP DATABASE IF EXISTS `" + name + "`") }
    }
}

extension TestBackend {
    /// MariaDB from `make db` (or the `EVENTFLOW_MYSQL_*` variables): each test gets a database
    /// of its own, created here and dropped afterwards.
    public static let mariadb = TestBackend(name: "mariadb") { clock in
        let configuration = try await TestServer.makeDatabase()
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger, clock: clock)
        do {
            try await db.setupTableSchemas()
        } catch {
            try? await db.close()
            try? await TestServer.dropDatabase(configuration.database)
            throw error
        }
        return TestDatabase(
            db: db,
            teardown: {
                try await db.close()
                try await TestServer.dropDatabase(configuration.database)
            }, holdWrite: { try await TestServer.holdWrite($0, configuration: configuration, clock: clock) })
    }
}

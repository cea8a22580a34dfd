public import EventflowDB
public import Logging

/// The `"mariadb"` driver for ``Locator``: repositories over a ``MariaDBConnectionPool``.
public struct MariaDBDriver: EventflowDriver {
    public let name = "mariadb"
    private let clock: any EventflowClock

    /// A driver whose repositories read time from `clock`.
    public init(clock: any EventflowClock = SystemClock()) {
        self.clock = clock
    }

    public func makeDatabase(config: DriverConfig, logger: Logger) async throws -> EventflowDB {
        EventflowDB.mariaDB(configuration: try MariaDBConfiguration(config), logger: logger, clock: clock)
    }
}

extension EventflowDB {
    /// Repositories over a new connection pool. Connections open on first use;
    /// ``EventflowDB/close()`` drains and closes them.
    ///
    /// ```swift
    /// let configuration = MariaDBConfiguration(host: "127.0.0.1", user: "eventflow", password: secret)
    /// let db = EventflowDB.mariaDB(configuration: configuration)
    /// try await db.setupTableSchemas()
    /// ```
    public static func mariaDB(
        configuration: MariaDBConfiguration, logger: Logger = Logger(label: "eventflow.db"),
        clock: any EventflowClock = SystemClock()
    ) -> EventflowDB {
        mariaDB(pool: MariaDBConnectionPool(configuration: configuration, logger: logger), logger: logger, clock: clock)
    }

    /// Repositories over an existing pool (for example one run as a swift-service-lifecycle service).
    public static func mariaDB(
        pool: MariaDBConnectionPool, logger: Logger = Logger(label: "eventflow.db"),
        clock: any EventflowClock = SystemClock()
    ) -> EventflowDB {
        let context = MariaDBContext(pool: pool, clock: clock, logger: logger)
        return EventflowDB(
            events: MariaDBEventRepository(context: context),
            published: MariaDBEventPublishedRepository(context: context),
            scheduled: MariaDBEventScheduledRepository(context: context), hubs: MariaDBHubRepository(context: context),
            certificates: MariaDBCertificateRepository(context: context), logs: MariaDBLogRepository(context: context),
            locks: MariaDBLockRepository(context: context), migrator: MariaDBSchemaMigrator(context: context),
            publications: MariaDBPublicationRepository(context: context),
            onClose: { await pool.close() })
    }
}

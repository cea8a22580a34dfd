public import EventflowDB
public import Logging

extension EventflowDriver where Self == BackendDriver {
    /// The `"mariadb"` driver for ``/EventflowDB/Locator``: repositories over a ``MariaDBConnectionPool`` made
    /// from the config's `eventflow.db` keys, reading time from `clock`.
    public static func mariaDB(clock: any EventflowClock = SystemClock()) -> BackendDriver {
        BackendDriver(name: "mariadb", configKeys: MariaDBConfiguration.keys) { config, logger in
            EventflowDB.mariaDB(configuration: try MariaDBConfiguration(config), logger: logger, clock: clock)
        }
    }
}

extension EventflowDB {
    /// Repositories over a new connection pool. Connections open on first use;
    /// ``/EventflowDB/EventflowDB/close()`` drains and closes them.
    ///
    /// ```swift
    /// let configuration = MariaDBConfiguration(host: "127.0.0.1", user: "eventflow", password: secret)
    /// let db = EventflowDB.mariaDB(configuration: configuration)
    /// try await db.setupTableSchemas()
    /// ```
    ///
    /// - Parameters:
    ///   - configuration: Where the server is and how to talk to it.
    ///   - logger: Where the driver logs (never secrets or bound values).
    ///   - clock: Where "now" comes from for the times the repositories write.
    ///   - instruments: Where metrics and spans go; the process-wide swift-metrics and
    ///     swift-distributed-tracing backends by default (no-ops until the application
    ///     bootstraps one).
    public static func mariaDB(
        configuration: MariaDBConfiguration, logger: Logger = Logger(label: "eventflow.db"),
        clock: any EventflowClock = SystemClock(), instruments: MariaDBInstruments = MariaDBInstruments()
    ) -> EventflowDB {
        mariaDB(
            pool: MariaDBConnectionPool(configuration: configuration, logger: logger, metrics: instruments.metrics),
            logger: logger, clock: clock, instruments: instruments)
    }

    /// Repositories over an existing pool (for example one run as a swift-service-lifecycle service).
    public static func mariaDB(
        pool: MariaDBConnectionPool, logger: Logger = Logger(label: "eventflow.db"),
        clock: any EventflowClock = SystemClock(), instruments: MariaDBInstruments = MariaDBInstruments()
    ) -> EventflowDB {
        let context = MariaDBContext(pool: pool, clock: clock, logger: logger, instruments: instruments)
        let repositories = MariaDBRepository(context: context)
        return EventflowDB(
            events: repositories, published: repositories, scheduled: repositories, hubs: repositories,
            certificates: repositories, logs: repositories, locks: repositories,
            migrator: MariaDBSchemaMigrator(context: context), publications: repositories, follow: repositories,
            clock: clock,
            onClose: {
                await context.binlog.stop()
                await pool.close()
            }, pinning: { try await pool.withPinnedConnection($0) })
    }
}

public import Logging

/// A backend the ``Locator`` can build an ``EventflowDB`` from, chosen by the config's
/// `eventflow.db.driver`.
///
/// `EventflowDBInMemory` provides `.memory()` (`"memory"`) and `EventflowDBMariaDB`
/// provides `.mariaDB()` (`"mariadb"`), both ``BackendDriver``s.
public protocol EventflowDriver: Sendable {
    /// The value of `eventflow.db.driver` that selects this backend.
    var name: String { get }
    /// Builds the facade. The backend owns its connections until ``EventflowDB/close()``.
    func makeDatabase(config: DriverConfig, logger: Logger) async throws -> EventflowDB
    /// The keys under `eventflow.db` the backend reads (dotted paths such as `pool.size`); a
    /// config file's keys that no offered driver lists are logged as unknown. Nil (the default)
    /// when the backend does not say, which turns the warning off.
    var configKeys: Set<String>? { get }
}

extension EventflowDriver {
    /// Nil: the backend does not list its keys.
    public var configKeys: Set<String>? { nil }
}

/// A driver made of its name and the function that builds the database: what the bundled
/// backends are. Get them as `.memory()` (from `EventflowDBInMemory`) and `.mariaDB()` (from
/// `EventflowDBMariaDB`):
///
/// ```swift
/// let locator = try await Locator.load(configFile: "eventflow.json", drivers: [.mariaDB(), .memory()])
/// ```
public struct BackendDriver: EventflowDriver {
    /// The value of `eventflow.db.driver` that selects it.
    public let name: String
    /// The keys under `eventflow.db` it reads; nil when not listed.
    public let configKeys: Set<String>?
    private let make: @Sendable (DriverConfig, Logger) async throws -> EventflowDB

    /// A driver selected by `name` that builds its database with `make`, reading `configKeys`
    /// (nil: not listed, so unknown keys are not reported).
    public init(
        name: String, configKeys: Set<String>? = nil,
        make: @escaping @Sendable (DriverConfig, Logger) async throws -> EventflowDB
    ) {
        self.name = name
        self.configKeys = configKeys
        self.make = make
    }

    /// Builds the database with the function given at creation.
    public func makeDatabase(config: DriverConfig, logger: Logger) async throws -> EventflowDB {
        try await make(config, logger)
    }
}

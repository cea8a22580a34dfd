public import Logging

/// A backend the ``Locator`` can build an ``EventflowDB`` from, chosen by the config's
/// `eventflow.db.driver`.
///
/// `EventflowDBInMemory` provides `InMemoryDriver` (`"memory"`) and `EventflowDBMariaDB`
/// provides `MariaDBDriver` (`"mariadb"`).
public protocol EventflowDriver: Sendable {
    /// The value of `eventflow.db.driver` that selects this backend.
    var name: String { get }
    /// Builds the facade. The backend owns its connections until ``EventflowDB/close()``.
    func makeDatabase(config: DriverConfig, logger: Logger) async throws -> EventflowDB
}

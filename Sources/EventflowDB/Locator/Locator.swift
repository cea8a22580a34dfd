import Configuration
public import Foundation
public import Logging
import SystemPackage

/// A small container that hands out the repositories.
///
/// Build it from a JSON config file (with the `EVENTFLOW_MYSQL_*` environment overrides):
///
/// ```swift
/// let locator = try await Locator.load(configFile: "eventflow.json", drivers: [InMemoryDriver(), MariaDBDriver()])
/// let events = try locator.locate(EventRepository.self)
/// ```
///
/// or fill it by hand in tests:
///
/// ```swift
/// let locator = Locator()
/// locator.set(EventRepository.self, InMemoryEventRepository())
/// ```
public final class Locator: Sendable {
    private let services = LockedState<[ObjectIdentifier: any Sendable]>([:])

    /// An empty locator.
    public init() {}

    /// Registers (or replaces) the service for a type.
    public func set<Service: Sendable>(_ type: Service.Type, _ service: Service) {
        services.withLock { $0[ObjectIdentifier(type)] = service }
    }

    /// The service registered for a type.
    ///
    /// - Throws: ``EventflowDBError/Code/locator`` when none is registered.
    public func locate<Service: Sendable>(_ type: Service.Type) throws -> Service {
        let service = services.withLock { $0[ObjectIdentifier(type)] }
        guard let service = service as? Service else {
            throw EventflowDBError(.locator, "nothing is registered for \(type)")
        }
        return service
    }

    /// Registers the facade and each of its repositories under its protocol.
    public func register(_ db: EventflowDB) {
        set(EventflowDB.self, db)
        set((any EventRepository).self, db.events)
        set((any EventPublishedRepository).self, db.published)
        set((any EventScheduledRepository).self, db.scheduled)
        set((any HubRepository).self, db.hubs)
        set((any CertificateRepository).self, db.certificates)
        set((any LogRepository).self, db.logs)
        set((any LockRepository).self, db.locks)
        set((any SchemaMigrator).self, db.migrator)
        set((any PublicationRepository).self, db.publications)
    }
}

extension Locator {
    /// Reads the configuration: the JSON file (when given), overridden by the
    /// `EVENTFLOW_MYSQL_*` variables of `environment`.
    ///
    /// - Throws: ``EventflowDBError/Code/configuration`` naming the file for a missing or
    ///   malformed file, or the key or variable for a bad value.
    public static func configuration(
        configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> EventflowDBConfiguration {
        var providers: [any ConfigProvider] = [try EnvironmentOverrides.provider(environment: environment)]
        if let configFile {
            guard FileManager.default.fileExists(atPath: configFile) else {
                throw EventflowDBError(.configuration, "config file \(configFile) does not exist")
            }
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile)))
            } catch {
                throw EventflowDBError(.configuration, "config file \(configFile) is not valid JSON: \(error)")
            }
        }
        return try EventflowDBConfiguration(
            config: ConfigReader(providers: providers),
            source: configFile.map { "config file \($0)" } ?? "configuration")
    }

    /// Builds a locator from a JSON config file, with the `EVENTFLOW_MYSQL_*` overrides, using
    /// the driver named by `eventflow.db.driver`.
    ///
    /// - Parameters:
    ///   - configFile: The JSON file; nil to use only the environment and defaults.
    ///   - environment: The variables to read the overrides from.
    ///   - drivers: The backends to choose from.
    ///   - logger: Where the backend logs.
    /// - Throws: ``EventflowDBError/Code/configuration`` for a missing or malformed file, a bad
    ///   value or an unknown driver, naming the file and key.
    public static func load(
        configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        drivers: [any EventflowDriver], logger: Logger = Logger(label: "eventflow.db")
    ) async throws -> Locator {
        let configuration = try await configuration(configFile: configFile, environment: environment)
        guard let driver = drivers.first(where: { $0.name == configuration.driver }) else {
            let known = drivers.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw EventflowDBError(
                .configuration,
                (configFile.map { "config file \($0)" } ?? "configuration")
                    + ": key eventflow.db.driver is \"\(configuration.driver)\"; expected one of \(known)"
            )
        }
        logger.debug("building EventflowDB", metadata: ["configuration": "\(configuration)"])
        let locator = Locator()
        locator.set(EventflowDBConfiguration.self, configuration)
        locator.register(try await driver.makeDatabase(configuration: configuration, logger: logger))
        return locator
    }
}

import Configuration
public import Foundation
public import Logging
import SystemPackage

/// A small container that hands out the repositories.
///
/// Build it from a JSON config file (with the `EVENTFLOW_MYSQL_*` environment overrides):
///
/// ```swift
/// let locator = try await Locator.load(configFile: "eventflow.json", drivers: [.memory(), .mariaDB()])
/// let events = try locator.locate(EventRepository.self)
/// ```
///
/// or fill it by hand in tests:
///
/// ```swift
/// let locator = Locator()
/// locator.set(EventRepository.self, InMemoryStore())
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
        set((any FollowRepository).self, db.follow)
    }
}

extension Locator {
    /// Builds a locator from a JSON config file, with the `EVENTFLOW_MYSQL_*` overrides, using
    /// the driver named by `eventflow.db.driver`. The ``DriverConfig`` is registered too.
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
        let config = try await DriverConfig.load(configFile: configFile, environment: environment)
        let locator = Locator()
        locator.set(DriverConfig.self, config)
        locator.register(try await config.makeDatabase(drivers: drivers, logger: logger))
        return locator
    }
}

extension DriverConfig {
    /// Builds the facade with the driver this configuration names.
    ///
    /// - Throws: ``EventflowDBError/Code/configuration`` when no driver has that name, and what
    ///   the driver throws for its own settings.
    public func makeDatabase(drivers: [any EventflowDriver], logger: Logger) async throws -> EventflowDB {
        guard let chosen = drivers.first(where: { $0.name == driver }) else {
            let known = drivers.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw EventflowDBError(
                .configuration, "\(source): key eventflow.db.driver is \"\(driver)\"; expected one of \(known)")
        }
        // Unknown to every driver offered: a driver that does not list its keys turns the check off.
        let listed = drivers.map(\.configKeys)
        if !listed.contains(where: { $0 == nil }) {
            warnAboutUnknownKeys(known: listed.reduce(into: ["driver"]) { $0.formUnion($1 ?? []) }, logger: logger)
        }
        logger.debug("building EventflowDB", metadata: ["driver": "\(driver)", "source": "\(source)"])
        return try await chosen.makeDatabase(config: self, logger: logger)
    }
}

public import Configuration
public import Foundation
import SystemPackage

/// The configuration a backend is built from: every key (a backend reads those under
/// `eventflow.db` it knows), the name of the driver to use, and where it came from (for errors).
///
/// The core reads only `eventflow.db.driver`; each backend defines and checks its own settings
/// (the MariaDB backend: `MariaDBConfiguration`).
public struct DriverConfig: Sendable {
    /// The whole configuration.
    public let reader: ConfigReader
    /// Where it came from: `"config file …"` or `"configuration"`, for error messages.
    public let source: String
    /// `eventflow.db.driver` (default `"mariadb"`), or what replaced it (a command-line option).
    public var driver: String

    /// A configuration read from `reader`.
    public init(reader: ConfigReader, source: String = "configuration") {
        self.reader = reader
        self.source = source
        driver = reader.string(forKey: "eventflow.db.driver", default: "mariadb")
    }

    /// Reads the JSON file (when given), overridden by the original library's
    /// `EVENTFLOW_MYSQL_*` variables (and `EVENTFLOW_DB_DRIVER`) of `environment`.
    ///
    /// - Throws: ``EventflowDBError/Code/configuration`` naming the file for a missing or
    ///   malformed file, or the variable for a bad value.
    public static func load(
        configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> DriverConfig {
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
        return DriverConfig(
            reader: ConfigReader(providers: providers),
            source: configFile.map { "config file \($0)" } ?? "configuration")
    }
}

public import Configuration
public import Foundation
public import Logging
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
    /// `eventflow.db.driver` (default ``defaultDriver``), or what replaced it (a command-line option).
    public var driver: String

    /// The driver of a configuration that names none: `"mariadb"`.
    public static let defaultDriver = "mariadb"
    /// The keys the config file sets under `eventflow.db`, as dotted paths (`pool.size`); empty
    /// without a file. ``warnAboutUnknownKeys(known:logger:)`` checks them.
    public let fileKeys: [String]

    /// A configuration read from `reader`.
    ///
    /// - Parameters:
    ///   - reader: Where the configuration's values are read.
    ///   - source: What the values come from (a file's path), for errors.
    ///   - fileKeys: The keys a config file sets under `eventflow.db`, for the warning about
    ///     unknown keys.
    public init(reader: ConfigReader, source: String = "configuration", fileKeys: [String] = []) {
        self.reader = reader
        self.source = source
        self.fileKeys = fileKeys
        driver = reader.string(forKey: "eventflow.db.driver", default: Self.defaultDriver)
    }

    /// Logs a warning, with its path, for each key the config file sets under `eventflow.db`
    /// that is not in `known` (dotted paths such as `pool.size`): a misspelt key would
    /// otherwise be silently ignored.
    public func warnAboutUnknownKeys(known: Set<String>, logger: Logger) {
        for key in fileKeys where !known.contains(key) {
            logger.warning(
                "unknown configuration key; it is ignored",
                metadata: ["key": "eventflow.db.\(key)", "source": "\(source)"])
        }
    }

    /// Reads the JSON file (when given), overridden by the original library's
    /// `EVENTFLOW_MYSQL_*` variables (and `EVENTFLOW_DB_DRIVER`) of `environment`.
    ///
    /// - Throws: ``EventflowDBError/Code/configuration`` naming the file for a missing or
    ///   malformed file, the variable for a bad value, or `eventflow.db.driver` when it is not
    ///   a string.
    public static func load(
        configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> DriverConfig {
        var providers: [any ConfigProvider] = [try EnvironmentOverrides.provider(environment: environment)]
        var fileKeys: [String] = []
        if let configFile {
            guard FileManager.default.fileExists(atPath: configFile) else {
                throw EventflowDBError(.configuration, "config file \(configFile) does not exist")
            }
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile)))
            } catch {
                throw EventflowDBError(.configuration, "config file \(configFile) is not valid JSON: \(error)")
            }
            fileKeys = Self.keys(inFile: configFile)
        }
        let reader = ConfigReader(providers: providers)
        let source = configFile.map { "config file \($0)" } ?? "configuration"
        _ = try StrictConfigReader(reader, scope: "eventflow.db", source: source).string("driver")
        return DriverConfig(reader: reader, source: source, fileKeys: fileKeys)
    }

    /// The dotted paths of the values under `eventflow.db` of a JSON file (arrays are values).
    private static func keys(inFile path: String) -> [String] {
        guard let bytes = FileManager.default.contents(atPath: path),
            let db = (try? JSONValue(parsing: bytes))?["eventflow"]?["db"]
        else { return [] }
        func paths(_ value: JSONValue, _ prefix: String) -> [String] {
            guard case .object(let members) = value else { return [prefix] }
            return members.sorted { $0.key < $1.key }.flatMap { key, member in
                paths(member, prefix.isEmpty ? key : prefix + "." + key)
            }
        }
        guard case .object = db else { return [] }
        return paths(db, "")
    }
}

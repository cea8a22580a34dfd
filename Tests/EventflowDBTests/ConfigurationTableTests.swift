import Configuration
import EventflowDB
import EventflowDBMariaDB
import Foundation
import Synchronization
import Testing

/// The MariaDB configuration's defaults are written once (`MariaDBConfiguration.defaults`) and
/// its keys once (`MariaDBConfiguration.settings`); these tests hold the reader, the environment
/// variables and the README's table to them.
@Suite("Configuration defaults and the README table")
struct ConfigurationTableTests {
    /// One row of the README's table: the key, its default (nil for none) and its variable.
    struct Row: Equatable, CustomStringConvertible {
        var key: String
        var defaultValue: String?
        var environmentVariable: String?
        var description: String { "\(key) = \(defaultValue ?? "none") (\(environmentVariable ?? "no variable"))" }
    }

    /// The rows of README.md's "Configuration" table, one key per row.
    static func readmeRows() throws -> [Row] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized
        let lines = try String(contentsOf: readme, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex { $0.hasPrefix("| key under `eventflow.db` |") })
        return try lines[(header + 2)...].prefix { $0.hasPrefix("|") }.map { line in
            let cells = line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(cells.count >= 3, "a row of the configuration table has too few cells: \(line)")
            let key = try #require(codeSpan(cells[0]), "no key in \(line)")
            let defaultValue: String?
            if cells[1].hasPrefix("`") {
                defaultValue = codeSpan(cells[1])
            } else if cells[1] == "empty" {
                defaultValue = ""
            } else {
                try #require(cells[1].hasPrefix("none"), "a default is `value`, empty or none…: \(line)")
                defaultValue = nil
            }
            return Row(key: key, defaultValue: defaultValue, environmentVariable: codeSpan(cells[2]))
        }
    }

    /// The first `code` of a cell.
    static func codeSpan(_ cell: String) -> String? {
        let parts = cell.split(separator: "`", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[1]) : nil
    }

    @Test("the README's configuration table lists every key, with the default and environment variable the code uses")
    func readmeTableMatchesSettings() throws {
        let rows = try Self.readmeRows()
        let settings = MariaDBConfiguration.settings.map {
            Row(key: $0.key, defaultValue: $0.defaultValue, environmentVariable: $0.environmentVariable)
        }
        for row in rows {
            let setting = settings.first { $0.key == row.key }
            #expect(setting != nil, "README lists \(row.key), which MariaDBConfiguration does not read")
            if let setting { #expect(row == setting, "README: \(row); code: \(setting)") }
        }
        for setting in settings where !rows.contains(where: { $0.key == setting.key }) {
            Issue.record("README's configuration table does not list \(setting)")
        }
        #expect(rows.map(\.key) == settings.map(\.key), "README lists the keys in the order of `settings`")
    }

    @Test("every environment variable the loader reads sets a listed key")
    func everyVariableIsListed() {
        let listed = Set(MariaDBConfiguration.settings.compactMap(\.environmentVariable))
        #expect(Set(EnvironmentOverrides.names) == listed)
        #expect(MariaDBConfiguration.keys == Set(MariaDBConfiguration.settings.map(\.key)))
    }

    @Test("the reader reads exactly the listed keys, and an empty configuration gives the defaults")
    func readerReadsListedKeys() throws {
        let reporter = KeyRecorder()
        let empty = ConfigReader(provider: InMemoryProvider(values: [:]), accessReporter: reporter)
        let configuration = try MariaDBConfiguration(config: empty)
        #expect(configuration == MariaDBConfiguration.defaults)
        #expect(MariaDBConfiguration() == MariaDBConfiguration.defaults)
        // `driver` is the core's (DriverConfig); the backend reads the rest.
        #expect(reporter.keys.union(["driver"]) == MariaDBConfiguration.keys)
    }

    @Test("the defaults are the documented ones")
    func defaultValues() {
        let defaults = MariaDBConfiguration.defaults
        #expect(defaults.hosts == [.init(host: "127.0.0.1", port: 3306)] && defaults.socketPath == nil)
        #expect(defaults.user == "root" && defaults.password == "" && defaults.database == "eventflow")
        #expect(defaults.charset == "utf8mb4" && defaults.poolSize == 10 && defaults.tls == nil)
        #expect(defaults.acquireTimeout == .seconds(10) && defaults.connectTimeout == .seconds(10))
        #expect(defaults.readTimeout == .seconds(30) && defaults.writeTimeout == .seconds(30))
        #expect(defaults.ddlTimeout == .seconds(3600))
    }
}

/// The keys under `eventflow.db` a `ConfigReader` was asked for, as dotted paths.
private final class KeyRecorder: AccessReporter {
    private let recorded = Mutex<Set<String>>([])

    var keys: Set<String> { recorded.withLock { $0 } }

    func report(_ event: AccessEvent) {
        let path = event.metadata.key.components
        guard path.starts(with: ["eventflow", "db"]) else { return }
        recorded.withLock { _ = $0.insert(path.dropFirst(2).joined(separator: ".")) }
    }
}

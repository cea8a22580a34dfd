import Configuration

/// The original library's `EVENTFLOW_MYSQL_*` environment variables, as a configuration provider
/// that overrides the config file. The one list of which variable sets which key: a backend's
/// table of settings looks its variables up here.
package enum EnvironmentOverrides {
    /// Variable → key under `eventflow.db`, and whether the value is an integer, a Boolean or a secret.
    private static let variables: [(name: String, key: String, kind: Kind)] = [
        ("EVENTFLOW_MYSQL_HOST", "host", .string),
        ("EVENTFLOW_MYSQL_PORT", "port", .int),
        ("EVENTFLOW_MYSQL_HOSTS", "hosts", .string),
        ("EVENTFLOW_MYSQL_USER", "user", .string),
        ("EVENTFLOW_MYSQL_PASS", "password", .secret),
        ("EVENTFLOW_MYSQL_DB", "database", .string),
        ("EVENTFLOW_MYSQL_SOCKET_PATH", "socketPath", .string),
        ("EVENTFLOW_MYSQL_CONNECTION_LIMIT", "pool.size", .int),
        ("EVENTFLOW_MYSQL_SSL", "tls.enabled", .bool),
        ("EVENTFLOW_MYSQL_TIMEZONE", "timezone", .string),
        ("EVENTFLOW_MYSQL_CHARSET", "charset", .string),
        ("EVENTFLOW_DB_DRIVER", "driver", .string),
    ]

    private enum Kind { case string, int, bool, secret }

    /// The names of every variable read, for documentation and tests.
    package static var names: [String] { variables.map(\.name) }

    /// The variable that sets `key` (a dotted path under `eventflow.db`, such as `pool.size`),
    /// nil when none does.
    package static func variable(forKey key: String) -> String? {
        variables.first { $0.key == key }?.name
    }

    static func provider(environment: [String: String]) throws -> InMemoryProvider {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for variable in variables {
            guard let text = environment[variable.name], !text.isEmpty else { continue }
            let key = AbsoluteConfigKey(["eventflow", "db"] + variable.key.split(separator: ".").map(String.init))
            switch variable.kind {
            case .string:
                values[key] = ConfigValue(.string(text), isSecret: false)
            case .secret:
                values[key] = ConfigValue(.string(text), isSecret: true)
            case .int:
                guard let number = Int(text) else {
                    throw EventflowDBError(
                        .configuration, "environment variable \(variable.name) must be an integer",
                        field: variable.name)
                }
                values[key] = ConfigValue(.int(number), isSecret: false)
            case .bool:
                switch text.lowercased() {
                case "1", "true", "yes", "on": values[key] = ConfigValue(.bool(true), isSecret: false)
                case "0", "false", "no", "off": values[key] = ConfigValue(.bool(false), isSecret: false)
                default:
                    throw EventflowDBError(
                        .configuration, "environment variable \(variable.name) must be true or false",
                        field: variable.name)
                }
            }
        }
        return InMemoryProvider(name: "EVENTFLOW_MYSQL_* environment", values: values)
    }
}

import EventflowDB

extension MariaDBConfiguration {
    /// One key under `eventflow.db` that the MariaDB backend reads: its name, its default as a
    /// config file would spell it, and the `EVENTFLOW_MYSQL_*` variable that overrides it.
    ///
    /// The defaults are those of ``MariaDBConfiguration/defaults`` and the variables those the
    /// loader reads, so this table repeats neither; the README's "Configuration" table is
    /// checked against it.
    public struct Setting: Sendable, Hashable {
        /// The dotted path under `eventflow.db`, such as `pool.size`.
        public let key: String
        /// The value used when the key is not set, as text (seconds for a duration); nil when
        /// there is none (`socketPath`, `tls.ca`, and `hosts`, which is then `host`:`port`).
        public let defaultValue: String?
        /// The environment variable that overrides the key, if any.
        public let environmentVariable: String?

        init(_ key: String, _ defaultValue: String?) {
            self.key = key
            self.defaultValue = defaultValue
            environmentVariable = EnvironmentOverrides.variable(forKey: key)
        }
    }

    /// Every key under `eventflow.db` this backend reads (with `driver`, which the core reads), in
    /// the order the README lists them.
    public static let settings: [Setting] = [
        Setting("driver", DriverConfig.defaultDriver),
        Setting("host", defaults.host),
        Setting("port", String(defaults.port)),
        Setting("hosts", nil),
        Setting("socketPath", defaults.socketPath),
        Setting("user", defaults.user),
        Setting("password", defaults.password),
        Setting("database", defaults.database),
        Setting("charset", defaults.charset),
        Setting("timezone", defaultTimezone),
        Setting("pool.size", String(defaults.poolSize)),
        Setting("pool.acquireTimeout", seconds(defaults.acquireTimeout)),
        Setting("connectTimeout", seconds(defaults.connectTimeout)),
        Setting("readTimeout", seconds(defaults.readTimeout)),
        Setting("writeTimeout", seconds(defaults.writeTimeout)),
        Setting("ddlTimeout", seconds(defaults.ddlTimeout)),
        Setting("tls.enabled", String(defaults.tls != nil)),
        Setting("tls.ca", defaults.tls?.caFile),
        Setting("tls.cert", defaults.tls?.certificateFile),
        Setting("tls.key", defaults.tls?.keyFile),
        Setting("follow.binaryLog", String(defaults.followBinaryLog)),
    ]

    /// A duration as a config file gives it: `30`, or `2.5`.
    private static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        return fraction == 0 ? String(whole) : String(Double(whole) + Double(fraction) / 1e18)
    }
}

public import Configuration
public import EventflowDB
public import Foundation

/// How the MariaDB backend reaches its database, read from the keys under `eventflow.db` of a
/// ``DriverConfig`` (which ``Locator`` builds from a JSON file and the `EVENTFLOW_MYSQL_*`
/// variables). The core's configuration stays backend-neutral: it names the driver only.
///
/// ## Configuration keys (under `eventflow.db`)
/// - `host` (string, default `"127.0.0.1"`), `port` (int, default `3306`).
/// - `hosts` (a list of `"host:port"` strings, or one string of them separated by commas, as
///   the `EVENTFLOW_MYSQL_HOSTS` variable gives it): the nodes of a Galera cluster. The pool
///   spreads its connections over them and leaves out a node that is down or not Synced. When
///   absent, the one node is `host`:`port`.
/// - `socketPath` (string, optional): a unix socket; used instead of host and port.
/// - `user` (string, default `"root"`), `password` (string, secret, default empty).
/// - `database` (string, default `"eventflow"`).
/// - `charset` (string, default `"utf8mb4"`), `timezone` (string, default `"UTC"`; only UTC is supported).
/// - `pool.size` (int, default `10`), `pool.acquireTimeout` (seconds, default `10`).
/// - `connectTimeout`, `readTimeout`, `writeTimeout` (seconds, defaults `10`, `30`, `30`). The
///   server is told to give up on a statement (and on row and metadata lock waits) before
///   `readTimeout` runs out, so a statement the client stopped waiting for never commits later.
/// - `ddlTimeout` (seconds, default `3600`): how long a migration or log archive (DDL that may
///   rebuild a large table) may run; they use a connection of their own with this read timeout.
///
/// Every duration is a positive number of seconds up to ``maximumTimeout`` (one year). A key
/// that is set must have the type given here (a number for seconds); one that does not is an
/// error naming it, never replaced by its default. Keys not listed in ``keys`` are logged as
/// unknown by the ``Locator``.
/// - `tls.enabled` (bool, default `false`), `tls.ca`, `tls.cert`, `tls.key` (file paths).
///   With TLS enabled the server's certificate is always verified.
public struct MariaDBConfiguration: Sendable, Equatable {
    /// The first (or only) node's host.
    public var host: String {
        get { hosts[0].host }
        set { hosts[0].host = newValue }
    }
    /// The first (or only) node's port.
    public var port: Int {
        get { hosts[0].port }
        set { hosts[0].port = newValue }
    }
    /// Every node the pool connects to, never empty: the first is ``host``:``port``. Set to
    /// several for a Galera cluster.
    public var hosts: [Host] {
        didSet { if hosts.isEmpty { hosts = [oldValue[0]] } }
    }
    public var socketPath: String?
    public var user: String
    /// Never printed: ``description`` redacts it.
    public var password: String
    public var database: String
    public var charset: String
    public var poolSize: Int
    public var acquireTimeout: Duration
    public var connectTimeout: Duration
    public var readTimeout: Duration
    public var writeTimeout: Duration
    /// How long DDL (migrations, log archives) may run.
    public var ddlTimeout: Duration
    public var tls: TLS?

    /// The longest timeout a configuration accepts: one year, in seconds.
    public static let maximumTimeout: Double = 31_536_000

    /// One node: a host name or address and a TCP port.
    public struct Host: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// Parses `"host:port"` (`"[v6]:port"` for an IPv6 address); nil when malformed.
        public init?(_ text: String) {
            let text = text.trimmingCharacters(in: .whitespaces)
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (1...65_535).contains(port)
            else { return nil }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// TLS settings. When present, the connection is verified TLS or it fails.
    public struct TLS: Sendable, Equatable {
        /// The CA certificate file that signed the server's certificate.
        public var caFile: String?
        /// A client certificate file, for servers that require one.
        public var certificateFile: String?
        /// The client certificate's key file.
        public var keyFile: String?
        public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// Creates a configuration with explicit values.
    public init(
        host: String = "127.0.0.1", port: Int = 3306, hosts: [Host] = [], socketPath: String? = nil,
        user: String = "root", password: String = "", database: String = "eventflow", charset: String = "utf8mb4",
        poolSize: Int = 10, acquireTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30),
        ddlTimeout: Duration = .seconds(3600),
        tls: TLS? = nil
    ) {
        self.hosts = hosts.isEmpty ? [Host(host: host, port: port)] : hosts
        self.socketPath = socketPath
        self.user = user
        self.password = password
        self.database = database
        self.charset = charset
        self.poolSize = poolSize
        self.acquireTimeout = acquireTimeout
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.ddlTimeout = ddlTimeout
        self.tls = tls
    }

    /// Reads the configuration from the keys under `eventflow.db` of `config`.
    ///
    /// - Throws: ``EventflowDBError/Code/configuration`` naming the key (also as the error's
    ///   `field`, `eventflow.db.…`) of a value out of range or of the wrong type: a key that is
    ///   set is used or refused, never replaced by its default.
    public init(config: ConfigReader, source: String = "configuration") throws {
        let db = StrictConfigReader(config, scope: "eventflow.db", source: source)
        func seconds(_ key: String, _ fallback: Double) throws -> Duration {
            let value = try db.double(key) ?? fallback
            guard value.isFinite, value > 0, value <= Self.maximumTimeout else {
                throw db.invalid(key, "must be a positive number of seconds, at most \(Int(Self.maximumTimeout))")
            }
            return .milliseconds(Int64((value * 1000).rounded(.up)))
        }
        let host = try db.string("host") ?? "127.0.0.1"
        let port = try db.int("port") ?? 3306
        guard (1...65_535).contains(port) else { throw db.invalid("port", "must be from 1 to 65535") }
        // A list, or one string of entries separated by commas (as the variable gives it).
        let listed: [String]
        do {
            listed = try db.stringArray("hosts") ?? []
        } catch {
            guard let text = try db.string("hosts") else { throw error }
            listed = text.split(separator: ",").map(String.init)
        }
        let nodes = try listed.map { text in
            guard let node = Host(text) else { throw db.invalid("hosts", "must list host:port entries, was \(text)") }
            return node
        }
        hosts = nodes.isEmpty ? [Host(host: host, port: port)] : nodes
        socketPath = try db.string("socketPath")
        user = try db.string("user") ?? "root"
        password = try db.string("password", isSecret: true) ?? ""
        database = try db.string("database") ?? "eventflow"
        charset = try db.string("charset") ?? "utf8mb4"
        let timezone = try db.string("timezone") ?? "UTC"
        guard ["UTC", "Z", "+00:00", "utc", "z"].contains(timezone) else {
            throw db.invalid("timezone", "must be UTC: every time is read and written as UTC, was \(timezone)")
        }
        poolSize = try db.int("pool.size") ?? 10
        guard (1...1000).contains(poolSize) else { throw db.invalid("pool.size", "must be from 1 to 1000") }
        acquireTimeout = try seconds("pool.acquireTimeout", 10)
        connectTimeout = try seconds("connectTimeout", 10)
        readTimeout = try seconds("readTimeout", 30)
        writeTimeout = try seconds("writeTimeout", 30)
        ddlTimeout = try seconds("ddlTimeout", 3600)
        let tlsEnabled = try db.bool("tls.enabled") ?? false
        let (ca, cert, key) = (try db.string("tls.ca"), try db.string("tls.cert"), try db.string("tls.key"))
        tls = tlsEnabled ? TLS(caFile: ca, certificateFile: cert, keyFile: key) : nil
    }

    /// Every key under `eventflow.db` this backend reads (with `driver`, which the core reads):
    /// a config file's other keys there are logged as unknown.
    public static let keys: Set<String> = [
        "driver", "host", "port", "hosts", "socketPath", "user", "password", "database", "charset", "timezone",
        "pool.size", "pool.acquireTimeout", "connectTimeout", "readTimeout", "writeTimeout", "ddlTimeout",
        "tls.enabled", "tls.ca", "tls.cert", "tls.key",
    ]
}

extension MariaDBConfiguration: CustomStringConvertible {
    /// Every setting but the password.
    public var description: String {
        let target = socketPath.map { "socket \($0)" } ?? hosts.map(\.description).joined(separator: ",")
        let secret = password.isEmpty ? "none" : "<redacted>"
        let security = tls == nil ? "off" : "verified"
        return "mariadb \(user)@\(target)/\(database) (password: \(secret), pool: \(poolSize), tls: \(security))"
    }
}

extension MariaDBConfiguration {
    /// The MariaDB settings of `config`.
    ///
    /// - Throws: ``EventflowDBError/Code/configuration`` naming the source and the key of a value
    ///   out of range.
    public init(_ config: DriverConfig) throws {
        try self.init(config: config.reader, source: config.source)
    }

    /// Reads the settings from a JSON config file (when given) and the `EVENTFLOW_MYSQL_*`
    /// variables of `environment`, as ``Locator/load(configFile:environment:drivers:logger:)`` does.
    public static func load(
        configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> MariaDBConfiguration {
        try MariaDBConfiguration(try await DriverConfig.load(configFile: configFile, environment: environment))
    }
}

public import Configuration
public import EventflowDB
public import Foundation

/// How the MariaDB backend reaches its database, read from the keys under `eventflow.db` of a
/// ``/EventflowDB/DriverConfig`` (which ``/EventflowDB/Locator`` builds from a JSON file and the `EVENTFLOW_MYSQL_*`
/// variables). The core's configuration stays backend-neutral: it names the driver only.
///
/// ``settings`` lists every key with its default and environment variable, and ``defaults`` is
/// the value of a configuration that sets nothing; the memberwise initialiser and
/// ``init(config:source:)`` both take their defaults from it (the README's table is checked
/// against ``settings`` by a test).
///
/// ## Configuration keys (under `eventflow.db`)
/// - `host` (string), `port` (int): the one node, when `hosts` is absent.
/// - `hosts` (a list of `"host:port"` strings, or one string of them separated by commas, as
///   the `EVENTFLOW_MYSQL_HOSTS` variable gives it): the nodes of a Galera cluster. The pool
///   spreads its connections over them and leaves out a node that is down or not Synced.
/// - `socketPath` (string, optional): a unix socket; used instead of host and port.
/// - `user` (string), `password` (string, secret).
/// - `database` (string).
/// - `charset` (string), `timezone` (string; only UTC is supported).
/// - `pool.size` (int, 1 to 1000), `pool.acquireTimeout` (seconds).
/// - `connectTimeout`, `readTimeout`, `writeTimeout` (seconds). The server is told to give up
///   on a statement (and on row and metadata lock waits) before `readTimeout` runs out, so a
///   statement the client stopped waiting for never commits later.
/// - `ddlTimeout` (seconds): how long a migration or log archive (DDL that may rebuild a large
///   table) may run; they use a connection of their own with this read timeout.
/// - `tls.enabled` (bool), `tls.ca`, `tls.cert`, `tls.key` (file paths). With TLS enabled the
///   server's certificate is always verified.
/// - `follow.binaryLog` (bool): whether followers are woken by other processes' commits through
///   the server's binary log (a replica's stream on a connection of its own; it needs `log_bin`
///   and the `REPLICATION SLAVE` and `BINLOG MONITOR` privileges). Off, they learn of them by
///   their poll only.
///
/// Every duration is a positive number of seconds up to ``maximumTimeout`` (one year). A key
/// that is set must have the type given here (a number for seconds); one that does not is an
/// error naming it, never replaced by its default. Keys not listed in ``keys`` are logged as
/// unknown by the ``/EventflowDB/Locator``.
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
    /// Whether followers are woken by other processes' commits through the binary log (the
    /// `follow.binaryLog` key); off, they learn of them by their poll only.
    public var followBinaryLog: Bool

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

    /// Creates a configuration; each value left out is that of ``defaults``.
    public init(
        host: String = defaults.host, port: Int = defaults.port, hosts: [Host] = [],
        socketPath: String? = defaults.socketPath, user: String = defaults.user, password: String = defaults.password,
        database: String = defaults.database, charset: String = defaults.charset, poolSize: Int = defaults.poolSize,
        acquireTimeout: Duration = defaults.acquireTimeout, connectTimeout: Duration = defaults.connectTimeout,
        readTimeout: Duration = defaults.readTimeout, writeTimeout: Duration = defaults.writeTimeout,
        ddlTimeout: Duration = defaults.ddlTimeout,
        tls: TLS? = defaults.tls, followBinaryLog: Bool = defaults.followBinaryLog
    ) {
        self.init(
            nodes: hosts.isEmpty ? [Host(host: host, port: port)] : hosts, socketPath: socketPath, user: user,
            password: password, database: database, charset: charset, poolSize: poolSize,
            acquireTimeout: acquireTimeout, connectTimeout: connectTimeout, readTimeout: readTimeout,
            writeTimeout: writeTimeout, ddlTimeout: ddlTimeout, tls: tls, followBinaryLog: followBinaryLog)
    }

    /// Every value given: what ``defaults`` is built with, since the public initialiser's
    /// defaults read ``defaults``.
    private init(
        nodes: [Host], socketPath: String?, user: String, password: String, database: String, charset: String,
        poolSize: Int, acquireTimeout: Duration, connectTimeout: Duration, readTimeout: Duration,
        writeTimeout: Duration, ddlTimeout: Duration, tls: TLS?, followBinaryLog: Bool
    ) {
        self.hosts = nodes
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
        self.followBinaryLog = followBinaryLog
    }

    /// The configuration of a config file and environment that set nothing: every default, written
    /// here once (``settings`` shows them as text, the README's table repeats them, checked by a test).
    public static let defaults = MariaDBConfiguration(
        nodes: [Host(host: "127.0.0.1", port: 3306)], socketPath: nil, user: "root", password: "",
        database: "eventflow", charset: "utf8mb4", poolSize: 10, acquireTimeout: .seconds(10),
        connectTimeout: .seconds(10), readTimeout: .seconds(30), writeTimeout: .seconds(30),
        ddlTimeout: .seconds(3600), tls: nil, followBinaryLog: true)

    /// The time zone of a configuration that names none, and the only one supported.
    static let defaultTimezone = "UTC"

    /// Reads the configuration from the keys under `eventflow.db` of `config`.
    ///
    /// - Throws: ``/EventflowDB/EventflowDBError/Code/configuration`` naming the key (also as the error's
    ///   `field`, `eventflow.db.…`) of a value out of range or of the wrong type: a key that is
    ///   set is used or refused, never replaced by its default.
    public init(config: ConfigReader, source: String = "configuration") throws {
        let db = StrictConfigReader(config, scope: "eventflow.db", source: source)
        func seconds(_ key: String, _ fallback: Duration) throws -> Duration {
            guard let value = try db.double(key) else { return fallback }
            guard value.isFinite, value > 0, value <= Self.maximumTimeout else {
                throw db.invalid(key, "must be a positive number of seconds, at most \(Int(Self.maximumTimeout))")
            }
            return .milliseconds(Int64((value * 1000).rounded(.up)))
        }
        let host = try db.string("host") ?? Self.defaults.host
        let port = try db.int("port") ?? Self.defaults.port
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
        socketPath = try db.string("socketPath") ?? Self.defaults.socketPath
        user = try db.string("user") ?? Self.defaults.user
        password = try db.string("password", isSecret: true) ?? Self.defaults.password
        database = try db.string("database") ?? Self.defaults.database
        charset = try db.string("charset") ?? Self.defaults.charset
        let timezone = try db.string("timezone") ?? Self.defaultTimezone
        guard ["UTC", "Z", "+00:00", "utc", "z"].contains(timezone) else {
            throw db.invalid("timezone", "must be UTC: every time is read and written as UTC, was \(timezone)")
        }
        poolSize = try db.int("pool.size") ?? Self.defaults.poolSize
        guard (1...1000).contains(poolSize) else { throw db.invalid("pool.size", "must be from 1 to 1000") }
        acquireTimeout = try seconds("pool.acquireTimeout", Self.defaults.acquireTimeout)
        connectTimeout = try seconds("connectTimeout", Self.defaults.connectTimeout)
        readTimeout = try seconds("readTimeout", Self.defaults.readTimeout)
        writeTimeout = try seconds("writeTimeout", Self.defaults.writeTimeout)
        ddlTimeout = try seconds("ddlTimeout", Self.defaults.ddlTimeout)
        let tlsEnabled = try db.bool("tls.enabled") ?? (Self.defaults.tls != nil)
        let (ca, cert, key) = (try db.string("tls.ca"), try db.string("tls.cert"), try db.string("tls.key"))
        tls = tlsEnabled ? TLS(caFile: ca, certificateFile: cert, keyFile: key) : nil
        followBinaryLog = try db.bool("follow.binaryLog") ?? Self.defaults.followBinaryLog
    }

    /// Every key under `eventflow.db` this backend reads (with `driver`, which the core reads):
    /// a config file's other keys there are logged as unknown.
    public static let keys: Set<String> = Set(settings.map(\.key))
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
    /// - Throws: ``/EventflowDB/EventflowDBError/Code/configuration`` naming the source and the key of a value
    ///   out of range.
    public init(_ config: DriverConfig) throws {
        try self.init(config: config.reader, source: config.source)
    }

    /// Reads the settings from a JSON config file (when given) and the `EVENTFLOW_MYSQL_*`
    /// variables of `environment`, as ``/EventflowDB/Locator/load(configFile:environment:drivers:logger:)`` does.
    public static func load(
        configFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> MariaDBConfiguration {
        try MariaDBConfiguration(try await DriverConfig.load(configFile: configFile, environment: environment))
    }
}

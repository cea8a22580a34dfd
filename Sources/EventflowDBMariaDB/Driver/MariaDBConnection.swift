import CMariaDB
import EventflowDB
import Foundation
public import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One connection to MariaDB, confined to a thread of its own.
///
/// An actor whose executor is a dedicated thread: Connector/C's blocking calls never run on
/// Swift's cooperative pool, and the C handle never leaves that thread. The repositories hand
/// each statement to that thread with `perform`: a caller alone in the process watches for the
/// result for up to 250 µs instead of suspending, so a fast reply wakes one thread instead of
/// two (see `StatementWait`), and callers that overlap suspend as with any actor call. A task
/// pinned to the connection (``MariaDBConnectionPool/withPinnedConnection(_:)``) runs on this
/// thread itself and hands nothing over. Get one from ``MariaDBConnectionPool/withConnection(idempotent:_:)``.
public actor MariaDBConnection {
    nonisolated let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var handle: UnsafeMutablePointer<MYSQL>?
    private var statements: [String: MariaDBStatement] = [:]
    /// Cached statements' SQL, oldest first, for eviction.
    private var statementOrder: [String] = []
    /// At most this many prepared statements per connection: batches and IN lists of every size
    /// each prepare their own, and the server caps prepared statements for all clients together
    /// (`max_prepared_stmt_count`, 16,382 by default).
    public static let statementCacheLimit = 64
    private let logger: Logger
    /// The socket, for a liveness check that needs no round trip.
    private nonisolated let socketDescriptor = Atomic<Int32>(-1)
    private nonisolated let threadID = Atomic<UInt64>(0)
    private nonisolated let broken = Atomic<Bool>(false)
    private nonisolated let clusterNode = Atomic<Bool>(false)
    private nonisolated let nodeFailure = Atomic<Bool>(false)
    /// A moving average of how long the connection's recent statements took, in nanoseconds.
    private nonisolated let statementNanoseconds = Atomic<Int64>(0)

    /// How long the connection's recent statements took (a moving average).
    nonisolated var recentStatementTime: Duration { .nanoseconds(statementNanoseconds.load(ordering: .relaxed)) }

    /// Folds one statement's time into ``recentStatementTime`` (weight 1/4).
    nonisolated func noteStatementTime(_ elapsed: Duration) {
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        let old = statementNanoseconds.load(ordering: .relaxed)
        statementNanoseconds.store((old * 3 + nanoseconds) / 4, ordering: .relaxed)
    }
    /// The last reply's `SERVER_STATUS_IN_TRANS` and `SERVER_SESSION_STATE_CHANGED` (sticky) bits.
    private nonisolated let sessionStatus = Atomic<UInt32>(0)
    private static let inTransactionBit: UInt32 = 1
    /// The `wsrep_sync_wait` bitmask of a cluster session: every kind of statement we issue
    /// waits for the commits the cluster made before it.
    static let clusterSyncWait: Int64 = 7
    /// `ER_UNKNOWN_SYSTEM_VARIABLE`: what a server without Galera answers to `@@wsrep_on`.
    private static let unknownSystemVariable = 1193
    private static let stateChangedBit: UInt32 = 16_384

    /// Set once an error showed the connection is unusable; the pool then discards it.
    /// Readable from any thread, so returning a connection to the pool costs no hop to its thread.
    public nonisolated var isBroken: Bool { broken.load(ordering: .acquiring) }

    /// True when the last statement left a transaction open on the server.
    public nonisolated var isInTransaction: Bool {
        sessionStatus.load(ordering: .acquiring) & Self.inTransactionBit != 0
    }

    /// True once a statement changed the session's state (a variable, the current database, a
    /// temporary table): such a connection is not lent again as it is.
    public nonisolated var hasChangedSessionState: Bool {
        sessionStatus.load(ordering: .acquiring) & Self.stateChangedBit != 0
    }

    /// True when the server is a Galera cluster node (`wsrep_on`). Such a connection was Synced
    /// when it was made, and its reads and writes wait for the cluster's earlier commits
    /// (`wsrep_sync_wait = 7`), so a statement on one node sees what a caller wrote on another.
    public nonisolated var isClusterNode: Bool { clusterNode.load(ordering: .relaxed) }

    /// True once the connection failed in a way that says its server (node) is gone or not
    /// ready (a lost connection, a node outside the cluster's primary component).
    public nonisolated var reportedNodeFailure: Bool { nodeFailure.load(ordering: .acquiring) }

    /// The server's id for this connection (`CONNECTION_ID()`), for `KILL` and logs.
    public nonisolated var serverThreadID: UInt64 { threadID.load(ordering: .relaxed) }

    private static let libraryInitialization: Void = {
        _ = eventflow_mysql_library_init()
    }()

    /// Opens a connection.
    ///
    /// - Throws: ``/EventflowDB/DatabaseError`` with kind ``/EventflowDB/DatabaseError/Kind/connectionLost`` when the server
    ///   cannot be reached, ``/EventflowDB/DatabaseError/Kind/authentication`` when it refuses the login,
    ///   ``/EventflowDB/DatabaseError/Kind/tls`` when TLS was asked for and cannot be verified.
    /// - Parameters:
    ///   - configuration: Where the server is and how to talk to it.
    ///   - limits: The session's timeouts; by default the statement limits that keep the server's
    ///     waits below the configured read timeout.
    ///   - node: The node to connect to; the configuration's first by default.
    ///   - logger: Where the connection logs.
    /// - Throws: also ``/EventflowDB/DatabaseError/Kind/nodeUnavailable`` for a Galera node that is not
    ///   Synced in the primary component.
    public static func connect(
        configuration: MariaDBConfiguration, limits: SessionLimits? = nil, node: MariaDBConfiguration.Host? = nil,
        logger: Logger
    ) async throws -> MariaDBConnection {
        _ = libraryInitialization
        let connection = MariaDBConnection(logger: logger)
        do {
            try await connection.open(
                configuration, node: node ?? configuration.hosts[0],
                limits: limits ?? SessionLimits(statementsWithin: configuration.readTimeout))
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private init(logger: Logger) {
        self.executor = ThreadExecutor(name: "eventflow-conn")
        self.logger = logger
    }

    /// `mysql_real_connect` with the configured options, on the connection's own thread.
    private func open(
        _ configuration: MariaDBConfiguration, node: MariaDBConfiguration.Host, limits: SessionLimits
    ) throws {
        guard let handle = mysql_init(nil) else {
            throw DatabaseError(kind: .other, message: "mysql_init failed: out of memory")
        }
        self.handle = handle  // closed in one place only: close()
        func option(_ option: mysql_option, _ value: UInt32) {
            var value = value
            mysql_options(handle, option, &value)
        }
        func option(_ option: mysql_option, _ text: String) {
            _ = text.withCString { mysql_options(handle, option, $0) }
        }
        option(MYSQL_OPT_CONNECT_TIMEOUT, Self.seconds(configuration.connectTimeout))
        option(MYSQL_OPT_READ_TIMEOUT, Self.seconds(limits.readTimeout))
        option(MYSQL_OPT_WRITE_TIMEOUT, Self.seconds(configuration.writeTimeout))
        option(MYSQL_SET_CHARSET_NAME, configuration.charset)
        let setUp: MariaDBQuery = "SET time_zone = '+00:00', session_track_state_change = ON, \(limits.assignments)"
        precondition(setUp.binds.isEmpty, "a connection's set-up command binds no values")
        option(MYSQL_INIT_COMMAND, setUp.sql)
        option(
            MYSQL_OPT_PROTOCOL,
            configuration.socketPath == nil ? MYSQL_PROTOCOL_TCP.rawValue : MYSQL_PROTOCOL_SOCKET.rawValue)
        if let tls = configuration.tls {
            // Verified TLS or no connection: without VERIFY_SERVER_CERT the client would
            // silently fall back to plaintext against a server without TLS.
            if let ca = tls.caFile { option(MYSQL_OPT_SSL_CA, ca) }
            if let cert = tls.certificateFile { option(MYSQL_OPT_SSL_CERT, cert) }
            if let key = tls.keyFile { option(MYSQL_OPT_SSL_KEY, key) }
            var on: my_bool = 1
            mysql_options(handle, MYSQL_OPT_SSL_ENFORCE, &on)
            mysql_options(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on)
        }
        let connected = mysql_real_connect(
            handle, configuration.socketPath == nil ? node.host : nil, configuration.user,
            configuration.password, configuration.database, UInt32(node.port), configuration.socketPath, 0)
        guard connected != nil else {
            var error = Self.error(of: handle)
            if error.kind == .other { error.kind = .connectionLost }
            throw error
        }
        if configuration.tls != nil, mysql_get_ssl_cipher(handle) == nil {
            throw DatabaseError(kind: .tls, message: "TLS was required but the connection is not encrypted")
        }
        socketDescriptor.store(Int32(mysql_get_socket(handle)), ordering: .relaxed)
        threadID.store(UInt64(mysql_thread_id(handle)), ordering: .relaxed)
        try joinClusterSessionIfNode(handle, node: node)
        logger.debug("connected", metadata: ["thread": "\(serverThreadID)", "node": "\(node)"])
    }

    /// On a Galera node: refuses a node that is not Synced in the primary component, and makes
    /// the session's statements wait for the cluster's earlier commits. Nothing on a single server.
    /// Runs before session-state tracking is noted, so these settings do not mark the session
    /// as changed.
    private func joinClusterSessionIfNode(
        _ handle: UnsafeMutablePointer<MYSQL>, node: MariaDBConfiguration.Host
    ) throws {
        // A server built without Galera has no @@wsrep_on (ER_UNKNOWN_SYSTEM_VARIABLE): it is a
        // single server. Any other failure leaves the answer unknown, so the connection fails:
        // taken as "not a node", a cluster's locks would become node-local.
        let on: String?
        do {
            on = try textRows(handle, "SELECT @@wsrep_on").first?.first ?? nil
        } catch let error as DatabaseError where error.number == Self.unknownSystemVariable {
            return
        }
        guard on == "1" else { return }
        let status = try textRows(
            handle,
            """
            SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS \
            WHERE VARIABLE_NAME IN ('WSREP_READY', 'WSREP_LOCAL_STATE', 'WSREP_CLUSTER_STATUS')
            """)
        var values: [String: String] = [:]
        for row in status where row.count == 2 { values[row[0] ?? ""] = row[1] ?? "" }
        // wsrep_local_state 4 is Synced; a donor or joiner lags or blocks.
        guard values["WSREP_READY"] == "ON", values["WSREP_LOCAL_STATE"] == "4",
            values["WSREP_CLUSTER_STATUS"] == "Primary"
        else {
            let state = ["WSREP_READY", "WSREP_LOCAL_STATE", "WSREP_CLUSTER_STATUS"].map { values[$0] ?? "?" }
            throw DatabaseError(
                kind: .nodeUnavailable, message: "node \(node) is not ready (ready, state, cluster: \(state))")
        }
        // 1 (reads, BEGIN) + 2 (UPDATE, DELETE) + 4 (INSERT, REPLACE): a claim's UPDATE or an
        // INSERT … SELECT right after a commit on another node must find that commit's rows.
        _ = try textRows(handle, "SET SESSION wsrep_sync_wait = \(literal: Self.clusterSyncWait)")
        clusterNode.store(true, ordering: .relaxed)
    }

    /// Rows of a text-protocol query, as strings (nil for NULL); for set-up queries only.
    private func textRows(_ handle: UnsafeMutablePointer<MYSQL>, _ query: MariaDBQuery) throws -> [[String?]] {
        precondition(query.binds.isEmpty, "the text protocol binds no values")
        let status = query.sql.withCString { mysql_real_query(handle, $0, UInt(strlen($0))) }
        if status != 0 { throw Self.error(of: handle) }
        guard let result = mysql_store_result(handle) else { return [] }
        defer { mysql_free_result(result) }
        let columns = Int(mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            rows.append((0..<columns).map { row[$0].map { String(cString: $0) } })
        }
        return rows
    }

    private static func seconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        // Rounded up, without overflowing at Int64.max seconds.
        return UInt32(clamping: max(1, attoseconds > 0 && seconds < .max ? seconds + 1 : seconds))
    }

    // MARK: Statements

    /// Runs `query` as a prepared statement (prepared once per connection and cached), its
    /// values bound as parameters, and returns its rows or the rows it changed.
    ///
    /// ```swift
    /// let rows = try await connection.execute("SELECT id FROM event WHERE domain = \(domain)").rows
    /// ```
    @discardableResult
    public func execute(_ query: MariaDBQuery) throws -> MariaDBResult {
        try withStatement(query.sql) { try $0.execute(query.binds) }
    }

    /// Runs `sql` with `parameters` as a prepared statement, for the package's tests of fixed
    /// SQL; everything else builds a ``MariaDBQuery``.
    package func execute(_ sql: String, _ parameters: [MariaDBValue]) throws -> MariaDBResult {
        try withStatement(sql) { try $0.execute(parameters) }
    }

    /// Runs one statement for many rows in one round trip (MariaDB's array binding): `queries`
    /// must share their SQL text and differ in their values only. Executed as one statement, so
    /// in autocommit the rows are written all or none. Returns the rows affected.
    @discardableResult
    public func executeBatch(_ queries: [MariaDBQuery]) throws -> MariaDBResult {
        guard let sql = queries.first?.sql, queries.allSatisfy({ $0.sql == sql }) else {
            throw DatabaseError(kind: .other, message: "a batch needs one or more queries with the same SQL")
        }
        return try withStatement(sql) { try $0.executeBatch(queries.map(\.binds)) }
    }

    /// The prepared statement for `sql` (prepared once, cached), run by `body`.
    private func withStatement(
        _ sql: String, _ body: (MariaDBStatement) throws -> MariaDBResult
    ) throws -> MariaDBResult {
        let handle = try liveHandle()
        do {
            let statement: MariaDBStatement
            if let cached = statements[sql] {
                statement = cached
            } else {
                statement = try MariaDBStatement(connection: handle, sql: sql)
                if statements.count >= Self.statementCacheLimit {
                    let oldest = statementOrder.removeFirst()
                    statements.removeValue(forKey: oldest)?.close()
                }
                statements[sql] = statement
                statementOrder.append(sql)
            }
            defer { noteStatus(handle) }
            return try body(statement)
        } catch let error as DatabaseError {
            noteFailure(error)
            throw error
        }
    }

    /// Runs a statement without values (DDL, `START TRANSACTION`, `COMMIT`) through the text
    /// protocol, unprepared, discarding any rows. Returns the affected rows.
    @discardableResult
    package func query(_ query: MariaDBQuery) throws -> UInt64 {
        precondition(query.binds.isEmpty, "the text protocol binds no values: use execute(_:)")
        return try self.query(query.sql)
    }

    /// Runs fixed SQL text through the text protocol, for the package's tests; everything else
    /// builds a ``MariaDBQuery``.
    @discardableResult
    package func query(_ sql: String) throws -> UInt64 {
        let handle = try liveHandle()
        let status = sql.withCString { mysql_real_query(handle, $0, UInt(strlen($0))) }
        if status != 0 {
            let error = Self.error(of: handle)
            noteFailure(error)
            throw error
        }
        let affected = UInt64(mysql_affected_rows(handle))
        if let result = mysql_store_result(handle) { mysql_free_result(result) }
        noteStatus(handle)
        return affected == UInt64.max ? 0 : affected
    }

    /// Whether the server still answers (a round trip). A connection whose ping fails is broken,
    /// and says its node failed.
    public func ping() -> Bool {
        guard let handle, !isBroken else { return false }
        if mysql_ping(handle) != 0 {
            nodeFailure.store(true, ordering: .releasing)
            broken.store(true, ordering: .releasing)
            return false
        }
        return true
    }

    /// Ends a connection whose server stopped answering, from any thread: marks it broken, its
    /// node failed, and shuts its socket down, so a call blocked reading it returns at once.
    nonisolated func cut() {
        nodeFailure.store(true, ordering: .releasing)
        broken.store(true, ordering: .releasing)
        let socket = socketDescriptor.load(ordering: .acquiring)
        if socket >= 0 { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// A check without a round trip: false when the server has closed the socket or sent
    /// something unasked (an idle connection that was killed or timed out).
    public nonisolated func socketLooksAlive() -> Bool {
        let socket = socketDescriptor.load(ordering: .relaxed)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready == 0
    }

    /// Closes the statements and the connection, and ends its thread.
    public func close() {
        for statement in statements.values { statement.close() }
        statements.removeAll()
        statementOrder.removeAll()
        // Its number may be reused once closed: nothing may shut it down after this.
        socketDescriptor.store(-1, ordering: .relaxed)
        if let handle { mysql_close(handle) }
        handle = nil
        broken.store(true, ordering: .releasing)
        executor.shutdown()
    }

    /// How many prepared statements the connection keeps.
    public var cachedStatementCount: Int { statements.count }

    /// Marks the connection unusable, for example after a cancelled transaction whose state is unknown.
    nonisolated func markBroken() { broken.store(true, ordering: .releasing) }

    /// Runs `body` with the C handle, on the connection's thread: for protocols the connection
    /// does not model itself (the binary log stream, ``BinlogWake``).
    func withHandle<T>(_ body: (UnsafeMutablePointer<MYSQL>) throws -> T) throws -> T {
        try body(liveHandle())
    }

    /// Runs `body` on the connection's thread, for as long as it takes, as an ordinary actor
    /// call: not counted among the statements ``perform(_:)`` watches for (a stream that
    /// blocks for hours would stop every other caller of the process from watching).
    func runBlocking<T: Sendable>(_ body: @Sendable (isolated MariaDBConnection) throws -> T) throws -> T {
        try body(self)
    }

    /// Shuts the socket down from any thread: a call blocked reading it on the connection's
    /// thread returns with an error. The connection is broken afterwards.
    nonisolated func shutDownSocket() {
        broken.store(true, ordering: .releasing)
        let socket = socketDescriptor.load(ordering: .relaxed)
        if socket >= 0 { _ = Glibc.shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private func liveHandle() throws -> UnsafeMutablePointer<MYSQL> {
        guard let handle else { throw DatabaseError(kind: .closed, message: "the connection is closed") }
        return handle
    }

    /// Keeps the last reply's transaction bit, and the state-changed bit once it was seen.
    private func noteStatus(_ handle: UnsafeMutablePointer<MYSQL>) {
        let status = UInt32(eventflow_server_status(handle))
        let sticky = sessionStatus.load(ordering: .relaxed) & Self.stateChangedBit
        sessionStatus.store((status & (Self.inTransactionBit | Self.stateChangedBit)) | sticky, ordering: .releasing)
    }

    private func noteFailure(_ error: DatabaseError) {
        if MariaDBErrorMapping.breaksConnection(error.kind) {
            if error.kind != .tls { nodeFailure.store(true, ordering: .releasing) }
            broken.store(true, ordering: .releasing)
            logger.warning("connection lost", metadata: ["error": "\(error)", "thread": "\(serverThreadID)"])
        }
    }

    static func error(of handle: UnsafeMutablePointer<MYSQL>) -> DatabaseError {
        let number = Int(mysql_errno(handle))
        return DatabaseError(
            kind: MariaDBErrorMapping.kind(forNumber: number), number: number,
            sqlState: String(cString: mysql_sqlstate(handle)), message: String(cString: mysql_error(handle)))
    }
}

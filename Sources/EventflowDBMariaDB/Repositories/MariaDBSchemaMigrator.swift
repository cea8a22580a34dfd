public import EventflowDB
import EventflowDBMigrations
import Foundation

/// ``/EventflowDB/SchemaMigrator`` on MariaDB.
///
/// Applied migrations are recorded in `eventflow_migration` with a checksum. Many processes may
/// call ``setupTableSchemas()`` at once: they take turns under a named lock, and each finds
/// what the others applied. A database the original library created (tables, but no record) is
/// adopted in place: the migrator recognises its ``/EventflowDB/SchemaGeneration`` from information_schema,
/// refuses before changing anything a character-set conversion that would damage rows, and
/// applies additive, re-runnable steps. Migrations run on a connection of their own with the
/// configured `ddlTimeout`.
public struct MariaDBSchemaMigrator: SchemaMigrator {
    let context: MariaDBContext
    let files: [MigrationFile]

    init(context: MariaDBContext, files: [MigrationFile] = MigrationFiles.all) {
        self.context = context
        self.files = files
    }

    private static let lockName = "eventflow_migrate"

    @discardableResult
    public func setupTableSchemas() async throws -> [String] {
        guard try await context.isCluster() else { return try await setupTableSchemasOnOneServer() }
        // On a cluster GET_LOCK excludes nothing across nodes: a lease does. The DDL itself runs
        // in Galera's total order on every node.
        let context = context
        let migrator = self
        let lease = ClusterLease(context: context, name: Self.lockName, timing: .migration)
        return try await lease.run(timeout: .seconds(300)) {
            try await migrator.setupTableSchemas(fencing: LockFencing.token ?? 0)
        }
    }

    /// Applies the pending migrations as the holder of the migration lease with `token`: before
    /// each migration, and before recording it, the lease must still carry that token, or
    /// nothing more is changed and the call fails with
    /// ``/EventflowDB/EventflowDBError/Code/lockLost``. A holder that lost its lease (paused past it, its node
    /// hung) cannot apply a migration another holder is applying too.
    package func setupTableSchemas(fencing token: UInt64) async throws -> [String] {
        try await context.withDedicatedConnection(
            .setupTableSchemas, "could not set up the table schemas", limits: context.ddlLimits
        ) { connection in
            try await apply(on: connection, fencing: token)
        }
    }

    private func setupTableSchemasOnOneServer() async throws -> [String] {
        // DDL on an adopted table may run long: DDL limits, on a connection of its own.
        try await context.withDedicatedConnection(
            .setupTableSchemas, "could not set up the table schemas", limits: context.ddlLimits
        ) {
            connection in
            // One lock per database: migrations of other databases on the server do not wait.
            guard
                try await NamedLock.acquire(Self.lockName, timeout: 300, scopedToDatabase: true, on: connection)
                    == .acquired
            else {
                throw EventflowDBError(.setupTableSchemas, "another process held the migration lock for 5 minutes")
            }
            do {
                let applied = try await apply(on: connection, fencing: nil)
                try await NamedLock.release(Self.lockName, scopedToDatabase: true, on: connection)
                return applied
            } catch {
                try? await NamedLock.release(Self.lockName, scopedToDatabase: true, on: connection)
                throw error
            }
        }
    }

    /// Applies what is pending. With a fencing `token` (the cluster lease's) every migration is
    /// started and recorded only while the lease still carries it.
    private func apply(on connection: MariaDBConnection, fencing token: UInt64?) async throws -> [String] {
        let recordExists = try await Self.recordExists(on: connection)
        let recorded = recordExists ? try await Self.recorded(on: connection) : []
        try verify(recorded)
        let done = Set(recorded.map(\.version))
        let pending = files.filter { !done.contains($0.version) }
        if pending.isEmpty { return [] }
        let columns = try await SchemaInspection.columns(on: connection)
        let generation = SchemaInspection.generation(columns: columns, pending: recordExists ? pending.count : nil)
        context.logger.info(
            "migrating",
            metadata: ["schema": "\(generation)", "pending": "\(pending.map(\.name).joined(separator: ", "))"])
        // Before anything changes: a character-set conversion that would damage rows is refused.
        if pending.contains(where: { $0.version == SchemaInspection.identifierMigration }) {
            try await SchemaInspection.checkCharacterSetConversion(
                SchemaInspection.columnsToConvert(columns).identifiers, on: connection)
        }
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS eventflow_migration (
              version  INT UNSIGNED NOT NULL,
              name     VARCHAR(255) NOT NULL,
              checksum CHAR(16)     NOT NULL,
              applied  DATETIME(3)  NOT NULL,
              PRIMARY KEY (version)
            ) ENGINE=InnoDB DEFAULT CHARACTER SET ascii COLLATE ascii_bin
            """)
        var applied: [String] = []
        for file in pending {
            try await checkFencing(token, on: connection)
            if try await alreadySatisfied(file, on: connection) {
                context.logger.info("migration has nothing to change here", metadata: ["migration": "\(file.fileName)"])
            } else {
                context.logger.info("applying migration", metadata: ["migration": "\(file.fileName)"])
                for statement in file.statements {
                    do {
                        // Migration files ship with the code: fixed text, never input.
                        try await connection.query(MariaDBQuery(unsafeSQL: statement))
                    } catch let error as DatabaseError {
                        // The server's text can quote a row's values: only the underlying error
                        // (and so only debugDescription) carries it.
                        throw EventflowDBError(
                            .setupTableSchemas, "migration \(file.fileName) failed: \(error.kind)", underlying: error)
                    }
                }
            }
            let now = context.now().truncatedToMilliseconds
            // Recorded only while the lease is still this holder's. A consistent read, not an
            // INSERT … SELECT: that would lock the lease row, and the holder's own renewal
            // (replicated from another connection) would abort it with a deadlock.
            try await checkFencing(token, on: connection)
            try await connection.execute(
                """
                INSERT INTO eventflow_migration (version, name, checksum, \
                applied) VALUES (\(file.version), \(file.name), \(file.checksum), \
                \(now))
                """
            )
            applied.append(file.name)
        }
        return applied
    }

    /// Fails unless the migration lease still carries `token` and has not expired (nothing to
    /// check without a token: a single server's `GET_LOCK` ends with its connection).
    private func checkFencing(_ token: UInt64?, on connection: MariaDBConnection) async throws {
        guard let token else { return }
        let held = try await connection.execute(
            """
            SELECT 1 FROM eventflow_lease WHERE name = \(Self.lockName) AND token = \(token) \
            AND owner IS NOT NULL AND expires > NOW(6)
            """)
        if held.rows.isEmpty { throw lostLease() }
    }

    private func lostLease() -> EventflowDBError {
        context.logger.error("migration lease lost: migrating stopped")
        return EventflowDBError(
            .lockLost,
            "the migration lock passed to another process: this one stopped before changing anything more")
    }

    /// A character-set migration has nothing to do when its columns have their character set
    /// already (tables EventflowDB or a later original made): it is recorded without running.
    private func alreadySatisfied(_ file: MigrationFile, on connection: MariaDBConnection) async throws -> Bool {
        guard file.version == SchemaInspection.identifierMigration || file.version == SchemaInspection.unicodeMigration
        else {
            return false
        }
        let toConvert = SchemaInspection.columnsToConvert(try await SchemaInspection.columns(on: connection))
        return file.version == SchemaInspection.identifierMigration
            ? toConvert.identifiers.isEmpty : toConvert.unicode.isEmpty
    }

    private static func recordExists(on connection: MariaDBConnection) async throws -> Bool {
        let database = try await SchemaInspection.currentDatabase(on: connection)
        let exists = try await connection.execute(
            """
            SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA \
            = \(database) AND TABLE_NAME = 'eventflow_migration'
            """
        )
        return !exists.rows.isEmpty
    }

    /// Refuses to go on when a migration file changed after it was applied.
    private func verify(_ recorded: [(version: Int, name: String, checksum: String, applied: Date)]) throws {
        for record in recorded {
            guard let file = files.first(where: { $0.version == record.version }) else { continue }
            if file.checksum != record.checksum {
                throw EventflowDBError(
                    .setupTableSchemas,
                    """
                    migration \(file.fileName) changed after it was applied \
                    (checksum \(file.checksum), recorded \(record.checksum)); \
                    add a new migration instead of editing an applied one
                    """
                )
            }
        }
    }

    private static func recorded(
        on connection: MariaDBConnection
    ) async throws -> [(version: Int, name: String, checksum: String, applied: Date)] {
        let result = try await connection.execute(
            "SELECT version, name, checksum, applied FROM eventflow_migration ORDER BY version")
        return try result.rows.map { (try $0.int(0), try $0.string(1), try $0.string(2), try $0.date(3)) }
    }

    public func tableRowCounts() async throws -> [String: Int] {
        try await context.run(.setupTableSchemas, "could not count rows", retry: .read) { connection in
            var counts: [String: Int] = [:]
            for table in SchemaInspection.tables {
                counts[table] = try await connection.execute("SELECT COUNT(*) FROM \(identifier: table)").rows[0].int(0)
            }
            return counts
        }
    }

    public func status() async throws -> MigrationStatus {
        try await context.run(.setupTableSchemas, "could not read the migration status", retry: .read) {
            connection in
            let exists = try await Self.recordExists(on: connection)
            let recorded = exists ? try await Self.recorded(on: connection) : []
            let done = Set(recorded.map(\.version))
            let pending = files.filter { !done.contains($0.version) }.map(\.name)
            let columns = try await SchemaInspection.columns(on: connection)
            return MigrationStatus(
                applied: recorded.map { .init(version: $0.version, name: $0.name, appliedAt: $0.applied) },
                pending: pending,
                generation: SchemaInspection.generation(columns: columns, pending: exists ? pending.count : nil))
        }
    }
}

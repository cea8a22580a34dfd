public import EventflowDB
import EventflowDBMigrations

/// ``SchemaMigrator`` in memory: there are no tables to create, but it records the migrations
/// as applied so status reads as it would on MariaDB.
extension InMemoryRepository: SchemaMigrator {

    @discardableResult
    public func setupTableSchemas() async throws -> [String] {
        try await store.applyMigrations(MigrationFiles.all)
    }

    public func status() async throws -> MigrationStatus {
        try await store.migrationStatus(MigrationFiles.all)
    }

    public func tableRowCounts() async throws -> [String: Int] {
        try await store.tableRowCounts()
    }
}

extension InMemoryStore {
    func applyMigrations(_ files: [MigrationFile]) throws -> [String] {
        try ensureOpen(.setupTableSchemas)
        let done = Set(appliedMigrations.map(\.version))
        let pending = files.filter { !done.contains($0.version) }
        let now = clock.now().truncatedToMilliseconds
        appliedMigrations += pending.map { .init(version: $0.version, name: $0.name, appliedAt: now) }
        return pending.map(\.name)
    }

    func tableRowCounts() throws -> [String: Int] {
        try ensureOpen(.setupTableSchemas)
        return [
            "certificate": certificates.count, "event": events.count, "event_cpid": cpids.count,
            "event_eid": eids.count,
            "event_published": published.count, "event_scheduled": scheduled.count, "hub": hubs.count,
            "log": logs.count,
        ]
    }

    func migrationStatus(_ files: [MigrationFile]) throws -> MigrationStatus {
        try ensureOpen(.setupTableSchemas)
        let done = Set(appliedMigrations.map(\.version))
        return MigrationStatus(
            applied: appliedMigrations, pending: files.filter { !done.contains($0.version) }.map(\.name))
    }
}

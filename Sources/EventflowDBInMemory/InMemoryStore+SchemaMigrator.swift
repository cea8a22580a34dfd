public import EventflowDB
import EventflowDBMigrations

/// ``/EventflowDB/SchemaMigrator`` in memory: there are no tables to create, but it records the migrations
/// as applied so status reads as it would on MariaDB.
extension InMemoryStore: SchemaMigrator {
    public func setupTableSchemas() throws -> [String] {
        try ensureOpen(.setupTableSchemas)
        let files = MigrationFiles.all
        let done = Set(appliedMigrations.map(\.version))
        let pending = files.filter { !done.contains($0.version) }
        let now = clock.now().truncatedToMilliseconds
        appliedMigrations += pending.map { .init(version: $0.version, name: $0.name, appliedAt: now) }
        return pending.map(\.name)
    }

    public func tableRowCounts() throws -> [String: Int] {
        try ensureOpen(.setupTableSchemas)
        return [
            "certificate": certificates.count, "event": events.count, "event_cpid": cpids.count,
            "event_eid": eids.count,
            "event_published": published.count, "event_scheduled": scheduled.count, "hub": hubs.count,
            "log": logs.count,
        ]
    }

    public func status() throws -> MigrationStatus {
        try ensureOpen(.setupTableSchemas)
        let files = MigrationFiles.all
        let done = Set(appliedMigrations.map(\.version))
        return MigrationStatus(
            applied: appliedMigrations, pending: files.filter { !done.contains($0.version) }.map(\.name))
    }
}

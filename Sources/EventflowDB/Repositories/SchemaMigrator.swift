/// Creates and upgrades the table schemas.
public protocol SchemaMigrator: Sendable {
    /// Applies every pending migration, in order. Safe when many processes call it at once.
    /// Returns the names of the migrations this call applied.
    @discardableResult
    func setupTableSchemas() async throws -> [String]

    /// Applied and pending migrations.
    func status() async throws -> MigrationStatus

    /// The number of rows in each table of the schema, by table name, for operators.
    func tableRowCounts() async throws -> [String: Int]
}

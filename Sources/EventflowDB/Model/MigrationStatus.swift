public import Foundation

/// What ``SchemaMigrator/status()`` reports.
public struct MigrationStatus: Sendable, Equatable {
    /// A migration already applied.
    public struct Applied: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var appliedAt: Date
        public init(version: Int, name: String, appliedAt: Date) {
            self.version = version
            self.name = name
            self.appliedAt = appliedAt
        }
    }

    /// Applied migrations, oldest first.
    public var applied: [Applied]
    /// Names of the migrations not yet applied, in the order they would be.
    public var pending: [String]
    /// The schema found: empty, one of the original library's, or EventflowDB's.
    public var generation: SchemaGeneration

    public init(applied: [Applied], pending: [String], generation: SchemaGeneration? = nil) {
        self.applied = applied
        self.pending = pending
        self.generation = generation ?? (applied.isEmpty ? .empty : .eventflow(pending: pending.count))
    }
}

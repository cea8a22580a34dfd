import Foundation

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

    public init(applied: [Applied], pending: [String]) {
        self.applied = applied
        self.pending = pending
    }
}

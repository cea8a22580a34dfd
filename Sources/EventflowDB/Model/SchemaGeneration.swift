/// Which schema a database holds, as the migrator recognises it from the live tables.
///
/// The original JavaScript library changed its tables over its versions; EventflowDB adopts
/// each of them in place. ``SchemaMigrator/status()`` says which one it found.
public enum SchemaGeneration: Sendable, Equatable, CustomStringConvertible {
    /// No table of the schema exists yet.
    case empty
    /// Made by the seed's v4.1.0: `event_cpid` has no `domain`, tables use the server's
    /// default character set.
    case originalV4_1
    /// Made by a later original (v4.2 to v4.7): `event_cpid.domain`, ascii tables, but log
    /// messages in ascii.
    case originalV4_2
    /// Made by the newest original (v4.8.x): `event_cpid.domain`, ascii tables, utf8mb4 log messages.
    case originalV4_8
    /// Migrated by EventflowDB, with this many migrations pending (0: current).
    case eventflow(pending: Int)

    /// Whether every migration is applied.
    public var isCurrent: Bool { self == .eventflow(pending: 0) }

    public var description: String {
        switch self {
        case .empty: "empty (no tables yet)"
        case .originalV4_1: "original v4.1.0 (event_cpid without domain, server-default character set)"
        case .originalV4_2: "original v4.2-v4.7 (event_cpid.domain, ascii tables)"
        case .originalV4_8: "original v4.8.x (event_cpid.domain, ascii tables, utf8mb4 log messages)"
        case .eventflow(let pending):
            pending == 0 ? "current" : "EventflowDB, \(pending) migration\(pending == 1 ? "" : "s") pending"
        }
    }
}

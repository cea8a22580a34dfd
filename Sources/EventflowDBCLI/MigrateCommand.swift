import ArgumentParser
import EventflowDB

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations (safe while other processes do the same).")

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "List the pending migrations without applying them.")
    var dryRun = false

    /// What stops working for v4.1.x services once their database is adopted (README, "Mixed fleets").
    static let v4_1Warning = """
        Warning: once adopted, v4.1.x services' "events by domain and cpid" fails (MariaDB error 1052: \
        its unqualified `domain` is ambiguous after event_cpid gets one); their other reads and inserts keep \
        working. Upgrade services that read associations to v4.4.1 or later before adopting.
        """

    func run() async throws {
        try await database.withDatabase { db in
            let status = try await db.migrator.status()
            let pending = status.pending
            print("Schema: \(status.generation)")
            if status.generation == .originalV4_1 && !pending.isEmpty { print(Self.v4_1Warning) }
            if pending.isEmpty {
                print("Nothing to migrate: every migration is applied.")
                return
            }
            if dryRun {
                print("Pending migrations (\(pending.count)), in order:")
                for name in pending { print("  \(name)") }
                return
            }
            if case .eventflow = status.generation {
            } else if status.generation != .empty {
                let except = status.generation == .originalV4_1 ? ", except as warned above" : ""
                print("Adopting it in place: every row is kept; the original library keeps working on it\(except).")
            }
            print("Applying \(pending.count) migration\(pending.count == 1 ? "" : "s")…")
            let applied = try await db.setupTableSchemas()
            for name in applied { print("  applied \(name)") }
            if applied.count < pending.count {
                print("  (\(pending.count - applied.count) applied meanwhile by another process)")
            }
            print("Done.")
        }
    }
}

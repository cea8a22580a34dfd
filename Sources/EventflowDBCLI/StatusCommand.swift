import ArgumentParser
import EventflowDB
import Foundation

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show migrations, row counts, online hubs and the events waiting to be consumed or executed.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.withDatabase { db in
            let status = try await db.migrator.status()
            print("Schema: \(status.generation)")
            print("Migrations: \(status.applied.count) applied, \(status.pending.count) pending")
            for migration in status.applied {
                print("  applied  \(migration.name) (\(Output.time(migration.appliedAt)))")
            }
            for name in status.pending { print("  pending  \(name)") }
            guard status.applied.count > 0 else {
                print(
                    status.generation == .empty
                        ? "The tables are not set up yet: run `eventflow-db migrate`."
                        : "Made by the original library: `eventflow-db migrate` adopts it in place, keeping every row.")
                return
            }

            let counts = try await db.migrator.tableRowCounts()
            print("Rows:")
            print(Output.table(["table", "rows"], counts.keys.sorted().map { [$0, String(counts[$0]!)] }).indented)

            let hubs = try await db.hubs.readOnlineHubs()
            print("Online hubs: \(hubs.count)")
            if !hubs.isEmpty {
                print(
                    Output.table(
                        ["id", "external", "internal", "since"],
                        hubs.map {
                            [
                                "\($0.id)", "\($0.externalIP):\($0.externalPort)",
                                "\($0.internalIP):\($0.internalPort)", Output.time($0.timestamp),
                            ]
                        }
                    ).indented)
            }

            print(try await Backlog.read(db).waitingLine)
        }
    }
}

extension String {
    /// Every line indented by two spaces.
    var indented: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

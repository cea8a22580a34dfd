import ArgumentParser
import EventflowDB

struct HubsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubs",
        abstract: "List the online hubs (all with --all, live ones with --seen-within), or mark one as quit.",
        subcommands: [ListHubs.self, QuitHub.self],
        defaultSubcommand: ListHubs.self)

    struct ListHubs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List hubs, oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Also the hubs that quit.")
        var all = false
        @Option(help: "Only the hubs with a heartbeat within this many seconds (live hubs).")
        var seenWithin: Int?

        func run() async throws {
            let hubs = try await database.withDatabase { db in
                if let seenWithin { return try await db.hubs.readLiveHubs(seenWithin: .seconds(seenWithin)) }
                return try await all ? db.hubs.readHubs() : db.hubs.readOnlineHubs()
            }
            if hubs.isEmpty {
                print(all ? "No hubs." : seenWithin == nil ? "No online hubs." : "No live hubs.")
                return
            }
            print(
                Output.table(
                    ["id", "external", "internal", "registered", "last seen", "quit"],
                    hubs.map {
                        [
                            $0.id, "\($0.externalIP):\($0.externalPort)", "\($0.internalIP):\($0.internalPort)",
                            Output.time($0.timestamp), Output.time($0.lastSeen), Output.time($0.quit),
                        ]
                    }))
        }
    }

    struct QuitHub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "quit", abstract: "Mark a hub as quit.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The hub's id.")
        var id: String

        func run() async throws {
            let changed = try await database.withDatabase { try await $0.hubs.updateHubToQuit(id: id) }
            print(changed ? "Hub \(id) marked as quit." : "Hub \(id) is unknown or had already quit.")
        }
    }
}

import ArgumentParser
import EventflowDB

struct HubsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubs",
        abstract: "List the online hubs (or all with --all), or mark one as quit.",
        subcommands: [ListHubs.self, QuitHub.self],
        defaultSubcommand: ListHubs.self)

    struct ListHubs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List hubs, oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Also the hubs that quit.")
        var all = false

        func run() async throws {
            let hubs = try await database.withDatabase { db in
                try await all ? db.hubs.readHubs() : db.hubs.readOnlineHubs()
            }
            if hubs.isEmpty {
                print(all ? "No hubs." : "No online hubs.")
                return
            }
            print(
                Output.table(
                    ["id", "external", "internal", "registered", "quit"],
                    hubs.map {
                        [
                            $0.id, "\($0.externalIP):\($0.externalPort)", "\($0.internalIP):\($0.internalPort)",
                            Output.time($0.timestamp), Output.time($0.quit),
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

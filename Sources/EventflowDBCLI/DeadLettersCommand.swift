import ArgumentParser
import EventflowDB

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List published events whose delivery was tried too often, requeue them or discard them.",
        subcommands: [List.self, Requeue.self, Discard.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Events tried at least --max-attempts times, not delivered, oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The attempts that make an event a dead letter (1 or more).")
        var maxAttempts: Int = 5
        @Option(help: "At most this many (1-10000).")
        var limit: Int = 100

        func run() async throws {
            let dead = try await database.withDatabase { db in
                try await db.published.readDeadLetters(maxAttempts: maxAttempts, limit: limit)
            }
            if dead.isEmpty {
                print("No dead letters.")
                return
            }
            print(
                Output.table(
                    ["event", "published", "attempts", "hub", "failed"],
                    dead.map {
                        [$0.eventID, Output.time($0.published), "\($0.attempts)", $0.hub ?? "", Output.time($0.failed)]
                    }))
            print("\(dead.count) dead letter\(dead.count == 1 ? "" : "s")")
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "requeue",
            abstract: "Clear an event's attempts, failure and hub claim, so hubs deliver it again.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The event's id.")
        var eventID: String

        func run() async throws {
            let done = try await database.withDatabase { try await $0.published.requeueDeadLetter(eventID: eventID) }
            print(done ? "Requeued \(eventID)." : "Nothing to requeue: \(eventID) is unknown, delivered or discarded.")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard", abstract: "Stamp an event orphan, so it is never delivered again.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The event's id.")
        var eventID: String

        func run() async throws {
            let done = try await database.withDatabase { try await $0.published.discardDeadLetter(eventID: eventID) }
            print(done ? "Discarded \(eventID)." : "\(eventID) is unknown or was already discarded.")
        }
    }
}

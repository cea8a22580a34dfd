import ArgumentParser
import EventflowDB

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List published events whose delivery failed for good, requeue them or discard them.",
        subcommands: [List.self, Requeue.self, Discard.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Deliveries stamped failed (at their maximum attempts), not requeued or discarded, oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "At most this many (1-10000).")
        var limit: Int = 100

        func run() async throws {
            let dead = try await database.withDatabase { db in
                try await db.published.readDeadLetters(limit: limit)
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
            abstract: "Clear a dead letter's attempts, failure and hub claim, so hubs deliver it again.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The event's id.")
        var eventID: String

        func run() async throws {
            // Conditional on the row read here: a delivery a hub claimed meanwhile is left alone.
            let done = try await database.withDatabase { db in
                try await db.published.requeueDeadLetter(try await db.published.readEventPublished(eventID: eventID))
            }
            print(done ? "Requeued \(eventID)." : "Nothing to requeue: \(eventID) is not a dead letter.")
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard", abstract: "Stamp a dead letter orphan, so it is never delivered again.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The event's id.")
        var eventID: String

        func run() async throws {
            let done = try await database.withDatabase { db in
                try await db.published.discardDeadLetter(try await db.published.readEventPublished(eventID: eventID))
            }
            print(done ? "Discarded \(eventID)." : "Nothing to discard: \(eventID) is not a dead letter.")
        }
    }
}

import ArgumentParser
import EventflowDB
import Foundation

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Read the agent log, or archive old days into their own partitions.",
        subcommands: [Tail.self, Archive.self])

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print log lines, oldest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this agent's lines.")
        var agent: String?
        @Option(
            help: ArgumentHelp(
                "Only lines since this time: ISO 8601, a UTC day, or an age such as 15m.", valueName: "time"))
        var since: TimeArgument?
        @Option(help: "At most this many of the newest lines.")
        var lines: Int = 50

        @Option(help: .hidden)
        var pageSize = 1_000

        func run() async throws {
            // Read a page at a time, keeping only the newest `lines`: bounded memory for any log.
            let shown = try await database.withDatabase { db in
                var newest = NewestLines<LogEntry>(capacity: max(0, lines))
                for try await entry in db.logs.logLines(agent: agent, from: since?.date, pageSize: pageSize) {
                    newest.append(entry)
                }
                return newest.elements
            }
            if shown.isEmpty {
                print("No log lines.")
                return
            }
            for entry in shown {
                let error = entry.error == .emptyObject ? "" : "  error: \(Output.clip(entry.error.jsonText, 80))"
                print("\(Output.time(entry.timestamp))  \(entry.agent)  \(entry.message)\(error)")
            }
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "archive",
            abstract: "Move the log lines older than a UTC day into the partition p_cold_YYYYMMDD.")

        @OptionGroup var database: DatabaseOptions
        @Option(
            help: ArgumentHelp(
                "The day: lines before it are archived (a UTC day, ISO 8601 time or age).", valueName: "day"))
        var before: TimeArgument

        func run() async throws {
            let created = try await database.withDatabase { db in
                try Validator.date(before.date, field: "--before")
                print("Archiving log lines before \(LogArchiveDay.isoString(for: before.date))…")
                return try await db.logs.archiveLog(before: before.date)
            }
            print(
                created
                    ? "Archived into p_cold_\(LogArchiveDay.string(for: before.date))."
                    : "Already archived: nothing to do.")
        }
    }
}

import ArgumentParser
import EventflowDB
import Foundation

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Delete what finished before a time: delivery and schedule rows, and old log archives.",
        discussion: """
            Deletes the delivery rows of deliveries that finished (success, failed or orphan) and the
            schedule rows of runs that finished (success or failed) before the time, in batches, and
            drops the log archive partitions of days before it. The events themselves stay. Safe to
            run from several hosts at once: it holds the eventflow_retention lock.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(
        help: ArgumentHelp(
            "Remove what finished before this time: ISO 8601, a UTC day, or an age such as 30d.", valueName: "time"))
    var before: TimeArgument
    @Option(help: "Rows per delete statement (1-10000).")
    var batch: Int = 1_000
    @Option(help: "Seconds to wait for another host's retention run to finish.")
    var lockTimeout: Double = 60

    func run() async throws {
        let report = try await database.withDatabase { db in
            try Validator.date(before.date, field: "--before")
            let wait = try LockCommand.Hold.duration(lockTimeout, option: "--lock-timeout")
            print("Removing what finished before \(Output.time(before.date))…")
            return try await db.applyRetention(before: before.date, batchSize: batch, lockTimeout: wait)
        }
        print("Deleted \(report.deliveries) delivery rows and \(report.schedules) schedule rows.")
        print(
            report.logArchives.isEmpty
                ? "No log archive was old enough to drop."
                : "Dropped log archives: \(report.logArchives.joined(separator: ", ")).")
    }
}

import ArgumentParser
import EventflowDB
import Foundation

struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Hold a named lock shared by every process on the database (for maintenance windows).",
        subcommands: [Hold.self])

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold",
            abstract: "Take the lock, hold it for a while, then release it.",
            discussion:
                """
                Prints `acquired` once the lock is held. Interrupting \
                the command releases the lock with its connection.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The lock's name.")
        var reference: String
        @Option(help: "How long to hold it, in seconds.")
        var seconds: Double = 60
        @Option(help: "How long to wait for it, in seconds.")
        var timeout: Double = 10

        func run() async throws {
            try await database.withDatabase { db in
                let holdFor = try Self.duration(seconds, option: "--seconds")
                let waitFor = try Self.duration(timeout, option: "--timeout")
                try await db.locks.withLock(reference, timeout: waitFor) {
                    // Written straight to the descriptor so a watcher sees it at once, unbuffered.
                    FileHandle.standardOutput.write(Data("acquired \(reference)\n".utf8))
                    try await Task.sleep(for: holdFor)
                }
                print("released \(reference)")
            }
        }

        /// Seconds from the command line: finite, from 0 to a year; anything else is invalid input.
        static func duration(_ seconds: Double, option: String) throws -> Duration {
            let limit = Double(Validator.maximumTimeout.components.seconds)
            guard seconds.isFinite, seconds >= 0, seconds <= limit else {
                throw EventflowDBError(
                    .invalidInput, "invalid \(option): must be a number of seconds from 0 to \(Int(limit))",
                    field: option)
            }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
    }
}

import ArgumentParser
import EventflowDB
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract:
            """
            A live view of the backlog: events waiting for a hub, due and unfinished schedules, dead letters, hubs, \
            and how far each named consumer of a domain's feed is behind.
            """,
        discussion: "Redraws every --interval seconds until interrupted (Ctrl-C).")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Seconds between refreshes.")
    var interval: Double = 1
    @Option(help: "Stop after this many refreshes (for scripts); by default, run until interrupted.")
    var count: Int?

    func run() async throws {
        try await database.withDatabase { db in
            // Checked as every duration option is (finite, up to a year); at least 0.1 s apart.
            let pause = max(.milliseconds(100), try LockCommand.Hold.duration(interval, option: "--interval"))
            let redraw = isatty(STDOUT_FILENO) == 1
            var frame = 0
            while count.map({ frame < $0 }) ?? true {
                let backlog = try await Backlog.read(db)
                let consumers = try await db.follow.readConsumers()
                if redraw { print("\u{1B}[H\u{1B}[2J", terminator: "") }
                print(Self.render(backlog, consumers: consumers, at: Date()))
                fflush(nil)
                frame += 1
                if count.map({ frame < $0 }) ?? true {
                    try await Task.sleep(for: pause)
                }
            }
        }
    }

    static func render(_ backlog: Backlog, consumers: [ConsumerPosition] = [], at now: Date) -> String {
        var lines = [
            "eventflow-db watch  \(Output.time(now))",
            "  published, not consumed by a hub  \(Backlog.count(backlog.notConsumed, "event"))",
            "  scheduled and due                 \(Backlog.count(backlog.due, "event"))",
            "  claimed but unfinished            \(Backlog.count(backlog.unfinished, "event"))",
            "  dead letters                      \(Backlog.count(backlog.deadLetters, "event"))",
            "  online hubs                       \(backlog.hubs.count)",
        ]
        lines += backlog.hubs.map {
            "    \($0.id)  \($0.externalIP):\($0.externalPort)  since \(Output.time($0.timestamp))"
        }
        lines.append("  feed consumers                    \(consumers.count)")
        lines += consumers.map {
            "    \($0.name)  \($0.domain)  at \($0.position), \($0.behind) event\($0.behind == 1 ? "" : "s") behind"
        }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import EventflowDB
import Foundation

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print events: an event log by --domain and --pid, or by --eid, --cpid or --id.",
        discussion: """
            Examples:
              eventflow-db events --domain orders --pid order-1
              eventflow-db events --domain orders --pid order-1 --names created,paid --json
              eventflow-db events --domain orders --pid order-1 --from 2026-01-01 --to 2026-01-31T23:59:59Z
              eventflow-db events --eid customer-42 [--domain orders]
              eventflow-db events --cpid invoice-7 --domain billing
              eventflow-db events --id lq3k9x2a-0f3kd9s8
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(
        help: "The domain: of the process (with --pid), of the events (with --eid), of the association (with --cpid).")
    var domain: String?
    @Option(help: "A process id: print its event log (needs --domain).")
    var pid: String?
    @Option(help: "An external id: print the events associated with it.")
    var eid: String?
    @Option(help: "A child process id: print the events associated with it (needs --domain).")
    var cpid: String?
    @Option(help: "An event id: print that event.")
    var id: String?
    @Option(help: ArgumentHelp("Only these names (comma-separated), with --pid.", valueName: "a,b"))
    var names: String?
    @Option(
        help: ArgumentHelp("From this time, inclusive: ISO 8601, a UTC day, or an age such as 2h.", valueName: "time"))
    var from: TimeArgument?
    @Option(help: ArgumentHelp("Up to this time, inclusive.", valueName: "time"))
    var to: TimeArgument?
    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

    func validate() throws {
        let selectors = [pid, eid, cpid, id].compactMap { $0 }.count
        guard selectors == 1 else { throw ValidationError("give exactly one of --pid, --eid, --cpid or --id") }
        if pid != nil || cpid != nil, domain == nil { throw ValidationError("--pid and --cpid need --domain") }
        if names != nil || from != nil || to != nil, pid == nil {
            throw ValidationError("--names, --from and --to go with --pid")
        }
        if names != nil, from != nil || to != nil { throw ValidationError("give --names or --from/--to, not both") }
    }

    @Option(help: .hidden)
    var pageSize = 1_000

    func run() async throws {
        try await database.withDatabase { db in
            // Read a page at a time and printed as read: a log of any length in bounded memory.
            let events = selected(db)
            if json {
                for try await event in events { print(Output.json(event)) }
                return
            }
            // A table in two passes: the first sizes its columns, the second prints the rows.
            var widths = ColumnWidths(Self.header)
            var count = 0
            for try await event in events {
                widths.fit(Self.cells(event))
                count += 1
            }
            if count == 0 {
                print("No events.")
                return
            }
            print(widths.line(Self.header))
            var printed = 0
            for try await event in events {
                print(widths.line(Self.cells(event)))
                printed += 1
                if printed == count { break }
            }
            print("\(printed) event\(printed == 1 ? "" : "s")")
        }
    }

    /// The events the options select, read `pageSize` at a time.
    private func selected(_ db: EventflowDB) -> PagedEvents {
        if let id {
            return PagedEvents { last in last == nil ? [try await db.events.readEvent(id: id)] : [] }
        }
        if let eid { return db.events.events(eid: eid, domain: domain, pageSize: pageSize) }
        if let cpid, let domain { return db.events.events(domain: domain, cpid: cpid, pageSize: pageSize) }
        guard let pid, let domain else { return PagedEvents { _ in [] } }
        return db.events.eventLog(
            domain: domain, pid: pid, from: from?.date, to: to?.date,
            names: names.map { $0.split(separator: ",").map(String.init) }, pageSize: pageSize)
    }

    private static let header = ["timestamp", "id", "domain", "pid", "name", "data"]

    private static func cells(_ event: Event) -> [String] {
        [Output.time(event.timestamp), event.id, event.domain, event.pid, event.name, Output.clip(event.data.jsonText)]
    }
}

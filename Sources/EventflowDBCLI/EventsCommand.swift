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

    func run() async throws {
        let events = try await database.withDatabase { db -> [Event] in
            if let id { return [try await db.events.readEvent(id: id)] }
            if let eid {
                if let domain { return try await db.events.readEvents(domain: domain, eid: eid) }
                return try await db.events.readEvents(eid: eid)
            }
            if let cpid, let domain { return try await db.events.readEvents(domain: domain, cpid: cpid) }
            guard let pid, let domain else { return [] }
            if let names {
                return try await db.events.readEvents(
                    domain: domain, pid: pid, names: names.split(separator: ",").map(String.init))
            }
            if from != nil || to != nil {
                return try await db.events.readEvents(
                    domain: domain, pid: pid, from: from?.date ?? InputRange.earliestDate,
                    to: to?.date ?? InputRange.latestDate)
            }
            return try await db.events.readEvents(domain: domain, pid: pid)
        }
        if json {
            for event in events { print(Output.json(event)) }
            return
        }
        if events.isEmpty {
            print("No events.")
            return
        }
        print(
            Output.table(
                ["timestamp", "id", "domain", "pid", "name", "data"],
                events.map {
                    [Output.time($0.timestamp), $0.id, $0.domain, $0.pid, $0.name, Output.clip($0.data.jsonText)]
                }))
        print("\(events.count) event\(events.count == 1 ? "" : "s")")
    }
}

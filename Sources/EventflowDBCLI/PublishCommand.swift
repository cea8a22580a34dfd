import ArgumentParser
import EventflowDB

/// `eventflow-db publish`: a spoke's atomic publish from the shell. Run again with the same id
/// and content after an unknown outcome, from any process, it answers the id once.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish an event (the event and its delivery state in one transaction); prints its id.",
        discussion: """
            When the outcome is unknown (the reply was lost), run it again with the id it printed or \
            the error reported: an earlier attempt that committed is answered once, never stored twice.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The event's id; generated when left out.")
    var id: String?
    @Option(help: "The event's domain.")
    var domain: String
    @Option(help: "The process id.")
    var pid: String
    @Option(help: "The event's name.")
    var name: String
    @Option(help: "The publishing spoke's id.")
    var publisher: String

    func run() async throws {
        try await database.withDatabase { db in
            let id = try await db.publish(NewEvent(id: id, domain: domain, pid: pid, name: name), publisher: publisher)
            print(id)
        }
    }
}

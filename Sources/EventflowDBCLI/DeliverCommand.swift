import ArgumentParser
import EventflowDB
import Foundation

/// `eventflow-db deliver`: a hub's delivery loop from the shell, for trying the lifecycle out and
/// for tests that kill a hub mid-delivery.
struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Run a hub's delivery loop: claim pending deliveries under a lease, and record each outcome.",
        discussion: """
            Prints `claimed ID attempt N` when it wins a claim and `delivered ID attempt N` (or `failed ID \
            attempt N`) when it records the outcome. "Delivering" is waiting --work seconds; --fail-every N \
            fails every Nth delivery. The hub is registered when it is not.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The hub's id.")
    var hubID: String
    @Option(help: "Seconds a claim's lease lasts without renewal (at least 1).")
    var lease: Double = 30
    @Option(help: "Attempts after which a failed delivery is a dead letter.")
    var maxAttempts: Int = 5
    @Option(help: "Seconds each delivery takes.")
    var work: Double = 0
    @Option(help: "Fail every Nth delivery (0: never).")
    var failEvery: Int = 0
    @Option(help: "Stop after this many outcomes; by default, run until interrupted.")
    var count: Int?

    func run() async throws {
        try await database.withDatabase { db in
            let lease = try LockCommand.Hold.duration(lease, option: "--lease")
            let work = try LockCommand.Hold.duration(work, option: "--work")
            // False when it is registered already.
            _ = try await db.hubs.persistHub(
                NewHub(id: hubID, externalIP: "127.0.0.1", externalPort: 0, internalIP: "127.0.0.1", internalPort: 0))
            let policy = DeliveryPolicy(
                lease: lease, maxAttempts: maxAttempts, backoff: .milliseconds(100), pollInterval: .milliseconds(100))
            var outcomes = 0
            for try await delivery in db.deliveries(hubID: hubID, policy: policy) {
                Self.say("claimed \(delivery.event.id) attempt \(delivery.attempt)")
                try await Task.sleep(for: work)
                outcomes += 1
                if failEvery > 0 && outcomes % failEvery == 0 {
                    let recorded = try await delivery.fail()
                    Self.say("\(recorded ? "failed" : "lost") \(delivery.event.id) attempt \(delivery.attempt)")
                } else {
                    let recorded = try await delivery.succeed()
                    Self.say("\(recorded ? "delivered" : "lost") \(delivery.event.id) attempt \(delivery.attempt)")
                }
                if let count, outcomes >= count { break }
            }
        }
    }

    /// One line, flushed at once (a test reads it while the process runs).
    static func say(_ line: String) {
        print(line)
        fflush(nil)
    }
}

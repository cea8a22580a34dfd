// An example spoke: publishes events to the "orders" domain and, when a publish fails on the way
// (a lost reply, a dropped connection), publishes again with the id the error carries, so an
// earlier attempt that committed is answered once instead of stored twice.
//
//     make db && eval "$(scripts/db.sh env)" && swift run example-spoke 10
import EventflowDB
import EventflowDBMariaDB

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10
let locator = try await Locator.load(configFile: nil, drivers: [.mariaDB()])
let db = try locator.locate(EventflowDB.self)
try await db.setupTableSchemas()

for n in 1...count {
    var event = NewEvent(domain: "orders", pid: "order-\(n)", name: "placed", data: ["n": .string("\(n)")])
    var attempts = 0
    while true {
        attempts += 1
        do {
            let id = try await db.publish(event, publisher: "example-spoke")
            print("published \(id)")
            break
        } catch let error as EventflowDBError
            where attempts < 5 && (error.isOutcomeUnknown || error.isConnectionFailure)
        {
            event.id = error.eventIDs.first ?? event.id
            print("retrying \(event.id ?? "?") after: \(error)")
        }
    }
}
try await db.close()

// An example hub: delivers the published events it wins, under a lease renewed while it works,
// and records each outcome; a failed delivery is retried after a back-off, and a dead letter
// after the last attempt. Stops after `count` outcomes, or after `idle` seconds without one.
//
//     make db && eval "$(scripts/db.sh env)" && swift run example-hub hub-1 10
import EventflowDB
import EventflowDBMariaDB

let arguments = Array(CommandLine.arguments.dropFirst())
let hubID = arguments.first ?? "example-hub"
let count = arguments.dropFirst().first.flatMap { Int($0) } ?? 10
let locator = try await Locator.load(configFile: nil, drivers: [.mariaDB()])
let db = try locator.locate(EventflowDB.self)
try await db.setupTableSchemas()
_ = try await db.hubs.persistHub(
    NewHub(id: hubID, externalIP: "127.0.0.1", externalPort: 50001, internalIP: "127.0.0.1", internalPort: 50001))

let policy = DeliveryPolicy(lease: .seconds(30), maxAttempts: 3, backoff: .seconds(1), pollInterval: .milliseconds(200))
let deliveries = Task {
    var outcomes = 0
    for try await delivery in db.deliveries(hubID: hubID, policy: policy) {
        _ = try await db.hubs.recordHeartbeat(hubID: hubID)
        // Deliver it: here, print it. A real hub sends it to its consumer and fails on an error.
        print("delivering \(delivery.event.id) \(delivery.event.name) (attempt \(delivery.attempt))")
        _ = try await delivery.succeed()
        outcomes += 1
        if outcomes == count { break }
    }
    return outcomes
}
let idle = Task {
    try await Task.sleep(for: .seconds(30))
    deliveries.cancel()
}
let delivered = try await deliveries.value
idle.cancel()
print("\(hubID) delivered \(delivered)")
_ = try await db.hubs.updateHubToQuit(id: hubID)
try await db.close()

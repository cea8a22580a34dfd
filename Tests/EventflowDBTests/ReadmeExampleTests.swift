import EventflowDB
import EventflowDBInMemory
import EventflowDBMariaDB
import Foundation
import Testing

/// The README's usage example, compiled and run (here on the in-memory driver), so the README
/// stays true. Keep the two in step.
@Suite("README")
struct ReadmeExampleTests {
    @Test("the README's usage flow runs")
    func usageFlow() async throws {
        let configFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "readme-\(UUID().uuidString).json"
        ).path
        try #"{"eventflow":{"db":{"driver":"memory"}}}"#.write(toFile: configFile, atomically: true, encoding: .utf8)

        // A Locator built from a JSON config file; EVENTFLOW_MYSQL_* variables override it.
        let locator = try await Locator.load(configFile: configFile, drivers: [.mariaDB(), .memory()])
        let db = try locator.locate(EventflowDB.self)
        try await db.setupTableSchemas()

        // Persist an event; the id is generated when not given.
        let eventID = try await db.events.persistEvent(
            NewEvent(domain: "example", pid: "process-id", name: "event-name", data: ["key": "value"]))
        let event = try await db.events.readEvent(id: eventID)
        let eventlog = try await db.events.readEvents(domain: "example", pid: "process-id")

        // Schedule it, and claim it when it is due: exactly one hub gets true.
        try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: eventID, scheduled: Date()))
        for due in try await db.scheduled.readEventsScheduled() {
            if try await db.scheduled.updateEventScheduledExecuted(eventID: due.eventID) {
                // run it, then:
                try await db.scheduled.updateEventScheduledSuccess(eventID: due.eventID)
            }
        }

        // Publish it and track its delivery.
        try await db.hubs.persistHub(
            NewHub(
                id: "hub-id", externalIP: "127.0.0.1", externalPort: 50001, internalIP: "127.0.0.1", internalPort: 50001
            ))
        try await db.published.persistEventPublished(NewEventPublished(eventID: eventID, publisher: "publisher-id"))
        let claimed = try await db.published.updateEventPublishedToConsumedByHub(eventID: eventID, hubID: "hub-id")
        try await db.published.updateEventPublishedToSuccess(eventID: eventID)

        // The log, archived by day into partitions.
        try await db.logs.persistLog(
            NewLogEntry(agent: "hub-id", message: "Test log message", error: ["message": "Error details"]))
        try await db.logs.archiveLog(before: Date())

        // Certificates: binary fields round-trip byte for byte.
        let persisted = try await db.certificates.persistCertificate(
            Certificate(
                id: "unique_certificate_id", validity: Date().addingTimeInterval(86_400), cert: "certificate_value",
                key: Array("encryption_key".utf8), keyIV: Array("iv".utf8), keySalt: Array("key_salt".utf8),
                keyTag: Array("key_tag".utf8),
                pass: Array("encrypted_passphrase".utf8), passIV: Array("pass_iv".utf8),
                passSalt: Array("pass_salt".utf8),
                passTag: Array("pass_tag".utf8)))
        do {
            _ = try await db.certificates.readCertificate(id: "unique_certificate_id")
        } catch EventflowDBError.Code.certificateNotFound {
            // not found
        }
        try await db.certificates.revokeCertificate(id: "unique_certificate_id")

        // A spoke's whole publish (event, associations, delivery state, schedule) in one transaction.
        let published = try await db.publish(
            NewEvent(domain: "example", pid: "process-id", name: "order-placed"), publisher: "spoke-id",
            cpids: [EventCpid(domain: "billing", cpid: "invoice-1")], eids: ["customer-42"])

        // Many events at once, all or nothing.
        let batch = try await db.events.persistEvents(
            (1...3).map { NewEvent(domain: "example", pid: "bulk", name: "item-\($0)") })

        // After a crash: what no hub consumed for a minute, and runs claimed but never finished.
        let stale = try await db.published.readEventsPublishedNotConsumed(
            publishedBefore: Date().addingTimeInterval(-60), limit: 100)
        let unfinished = try await db.scheduled.readEventsScheduledUnfinished(
            executedBefore: Date().addingTimeInterval(-60), limit: 100)
        #expect(!published.isEmpty && batch.count == 3 && stale.isEmpty && unfinished.isEmpty)

        // A lock shared by every process on the database.
        try await db.locks.withLock("nightly-report", timeout: .seconds(5)) {
            // only one process at a time gets here
        }

        struct OrderPlaced: Codable { var sku: String; var placed: Date }
        let data = try JSONValue(encoding: OrderPlaced(sku: "A-1", placed: Date()), taggedDates: true)
        let order = try data.decode(OrderPlaced.self)

        #expect(event.id == eventID && eventlog.count == 1 && claimed && persisted && order.sku == "A-1")
        #expect(try await db.scheduled.readEventsScheduled().isEmpty)
        try await db.close()
    }
}

import ArgumentParser
import EventflowDB
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A narrated end-to-end run: hubs, a spoke's event, claims, a schedule, certificates and the log.",
        discussion:
            "Runs against the configured database (creating the tables if needed); --driver memory needs no server.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let passed = try await database.withDatabase { db in
            var story = DemoStory(db: db)
            return try await story.tell()
        }
        if !passed { throw ExitCode.failure }
    }
}

/// The demo's steps, each printed as it happens, and the checks they make.
struct DemoStory {
    let db: EventflowDB
    /// A suffix that keeps this run's ids apart from earlier runs on the same database.
    let run = String(UUID().uuidString.prefix(6)).lowercased()
    private var checks: [(String, Bool)] = []

    init(db: EventflowDB) {
        self.db = db
    }

    private func say(_ text: String) { print(text) }

    private mutating func check(_ label: String, _ ok: Bool) {
        checks.append((label, ok))
        print("   \(ok ? "✔" : "✘") \(label)")
    }

    mutating func tell() async throws -> Bool {
        say("EventflowDB demo (run \(run))")
        let applied = try await db.setupTableSchemas()
        let done = applied.isEmpty ? " (already migrated)" : ": applied " + applied.joined(separator: ", ")
        say("0. Tables ready\(done).")

        let hubs = ["hub-alpha-\(run)", "hub-beta-\(run)"]
        say("1. Two hubs register.")
        for (index, hub) in hubs.enumerated() {
            let ip = index == 0 ? "10.0.0.1" : "2001:db8::2"
            _ = try await db.hubs.persistHub(
                NewHub(
                    id: hub, externalIP: ip, externalPort: 50001 + index, internalIP: ip, internalPort: 50101 + index))
            say("   \(hub) at \(ip)")
        }
        let online = try await db.hubs.readOnlineHubs().map(\.id)
        check("both hubs are online", hubs.allSatisfy(online.contains))

        say("2. A spoke persists an event, associates it, and publishes it.")
        let pid = "order-\(run)"
        let placed = Date()
        let id = try await db.events.persistEvent(
            NewEvent(
                domain: "orders", pid: pid, name: "order-placed",
                data: ["sku": "A-1", "quantity": 3, "placed": JSONValue(tagging: .date(placed))]))
        _ = try await db.events.persistEventCpid(eventID: id, domain: "billing", cpid: "invoice-\(run)")
        _ = try await db.events.persistEventEid(eventID: id, eid: "customer-\(run)")
        _ = try await db.published.persistEventPublished(NewEventPublished(eventID: id, publisher: "spoke-\(run)"))
        say("   event \(id) in orders/\(pid), cpid billing/invoice-\(run), eid customer-\(run), published")
        let read = try await db.events.readEvent(id: id)
        check("the event reads back with its data", read.data["sku"] == "A-1" && read.data["placed"]?.dateValue != nil)
        check(
            "it is found by its child process",
            try await db.events.readEvents(domain: "billing", cpid: "invoice-\(run)").map(\.id) == [id])

        say("3. Both hubs race to consume it.")
        let published = db.published
        let winners = try await Self.race(hubs) { hub in
            try await published.updateEventPublishedToConsumedByHub(eventID: id, hubID: hub)
        }
        say("   winner: \(winners.joined(separator: ", "))")
        check("exactly one hub won", winners.count == 1)

        say("4. A spoke consumes it and marks it a success.")
        let spokeClaim = try await db.published.updateEventPublishedToConsumedBySpoke(
            eventID: id, spokeID: "spoke-consumer-\(run)")
        let success = try await db.published.updateEventPublishedToSuccess(eventID: id)
        let state = try await db.published.readEventPublished(eventID: id)
        check(
            "the spoke's claim and the success stamp hold",
            spokeClaim && success && state.success != nil && state.hub == winners.first)

        say("5. An event scheduled a minute ago falls due; both hubs race to run it.")
        let job = try await db.events.persistEvent(NewEvent(domain: "orders", pid: pid, name: "send-reminder"))
        _ = try await db.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: job, scheduled: Date().addingTimeInterval(-60)))
        let due = try await db.scheduled.readEventsScheduled().filter { $0.eventID == job }
        check("it is due, with its event's name", due.first?.name == "send-reminder")
        let scheduled = db.scheduled
        let runners = try await Self.race(hubs) { _ in try await scheduled.updateEventScheduledExecuted(eventID: job) }
        _ = try await db.scheduled.updateEventScheduledSuccess(eventID: job)
        say("   claimed by \(runners.joined(separator: ", ")), marked executed and successful")
        check("exactly one hub ran it", runners.count == 1)
        check("it is no longer due", try await db.scheduled.readEventsScheduled().allSatisfy { $0.eventID != job })

        say("6. A certificate is stored, read back, revoked and replaced.")
        let certificateID = "demo-cert-\(run)"
        let first = Self.certificate(certificateID, validity: Date().addingTimeInterval(86_400))
        _ = try await db.certificates.persistCertificate(first)
        let stored = try await db.certificates.readCertificate(id: certificateID)
        check(
            "key and pass material read back byte for byte",
            stored.key == first.key && stored.pass == first.pass && stored.keyIV == first.keyIV)
        _ = try await db.certificates.revokeCertificate(id: certificateID)
        let replaced = try await db.certificates.persistCertificate(
            Self.certificate(certificateID, validity: Date().addingTimeInterval(172_800)))
        check("after revoking, a new certificate takes the same id", replaced)

        say("7. Log lines are written and the days before today archived.")
        for hub in hubs {
            try await db.logs.persistLog(NewLogEntry(agent: hub, message: "\(hub) handled \(id) ✓"))
        }
        let archived = try await db.logs.archiveLog(before: Date())
        say(
            "   archive partition p_cold_\(LogArchiveDay.string(for: Date())) \(archived ? "created" : "already there")"
        )
        let lines = try await db.logs.readLogs(agent: hubs[0], from: nil, to: nil)
        check("log lines read back, archived or not", lines.contains { $0.message.hasSuffix("✓") })

        say("8. The hubs quit.")
        for hub in hubs { _ = try await db.hubs.updateHubToQuit(id: hub) }
        check("no demo hub is online any more", try await db.hubs.readOnlineHubs().allSatisfy { !hubs.contains($0.id) })

        let failed = checks.filter { !$0.1 }
        say("")
        let failures = failed.isEmpty ? "." : "; failed: " + failed.map(\.0).joined(separator: "; ")
        say("Summary: \(checks.count - failed.count) of \(checks.count) checks passed\(failures)")
        return failed.isEmpty
    }

    /// Runs `claim` for every hub at once; returns the hubs whose claim won.
    private static func race(
        _ hubs: [String], _ claim: @escaping @Sendable (String) async throws -> Bool
    ) async throws -> [String] {
        try await withThrowingTaskGroup(of: String?.self) { group in
            for hub in hubs { group.addTask { try await claim(hub) ? hub : nil } }
            return try await group.reduce(into: [String]()) { if let hub = $1 { $0.append(hub) } }
        }
    }

    private static func certificate(_ id: String, validity: Date) -> Certificate {
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255) } }
        return Certificate(
            id: id, validity: validity, cert: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----",
            key: random(256),
            keyIV: random(16), keySalt: random(16), keyTag: random(16), pass: random(64), passIV: random(16),
            passSalt: random(16),
            passTag: random(16))
    }
}

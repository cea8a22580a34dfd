import EventflowDB
import Foundation
import Testing

/// One hostile input and the field it must be rejected for.
struct BadInput: Sendable, CustomTestStringConvertible {
    let label: String
    let field: String
    let call: @Sendable (EventflowDB) async throws -> Void
    var testDescription: String { label }
}

private let now = ContractBackend.referenceDate
private let long65 = String(repeating: "a", count: 65)
private let long10k = String(repeating: "a", count: 10_000)

let badInputs: [BadInput] = [
    BadInput(label: "empty event id", field: "event.id") {
        _ = try await $0.events.persistEvent(Fixture.event(id: ""))
    },
    BadInput(label: "65-character event id", field: "event.id") {
        _ = try await $0.events.persistEvent(Fixture.event(id: long65))
    },
    BadInput(label: "non-ASCII domain", field: "event.domain") {
        _ = try await $0.events.persistEvent(Fixture.event(domain: "dömain"))
    },
    BadInput(label: "NUL in pid", field: "event.pid") {
        _ = try await $0.events.persistEvent(Fixture.event(pid: "p\u{0}1"))
    },
    BadInput(label: "empty name", field: "event.name") {
        _ = try await $0.events.persistEvent(Fixture.event(name: ""))
    },
    BadInput(label: "trailing space in name", field: "event.name") {
        _ = try await $0.events.persistEvent(Fixture.event(name: "created "))
    },
    BadInput(label: "NaN in data", field: "event.data") {
        _ = try await $0.events.persistEvent(Fixture.event(data: ["x": .double(.nan)]))
    },
    BadInput(label: "infinity in data", field: "event.data") {
        _ = try await $0.events.persistEvent(Fixture.event(data: [.double(.infinity)]))
    },
    BadInput(label: "data nested 33 deep", field: "event.data") {
        let deep = (0..<33).reduce(JSONValue.null) { inner, _ in .array([inner]) }
        _ = try await $0.events.persistEvent(Fixture.event(data: deep))
    },
    BadInput(label: "timestamp before year 1000", field: "event.timestamp") {
        _ = try await $0.events.persistEvent(Fixture.event(timestamp: Date(timeIntervalSince1970: -40_000_000_000)))
    },
    BadInput(label: "empty rid", field: "event.rid") { _ = try await $0.events.persistEvent(Fixture.event(rid: "")) },
    BadInput(label: "empty cpid", field: "cpid") {
        _ = try await $0.events.persistEventCpid(eventID: "e", domain: "d", cpid: "")
    },
    BadInput(label: "empty hub id in a heartbeat", field: "hubID") {
        _ = try await $0.hubs.recordHeartbeat(hubID: "")
    },
    BadInput(label: "negative liveness window", field: "seenWithin") {
        _ = try await $0.hubs.readLiveHubs(seenWithin: .seconds(-1))
    },
    BadInput(label: "65-character eid", field: "eid") {
        _ = try await $0.events.persistEventEid(eventID: "e", eid: long65)
    },
    BadInput(label: "non-ASCII name in list", field: "names") {
        _ = try await $0.events.readEvents(domain: "d", pid: "p", names: ["ok", "naïve"])
    },
    BadInput(label: "empty publisher", field: "published.publisher") {
        _ = try await $0.published.persistEventPublished(NewEventPublished(eventID: "e", publisher: ""))
    },
    BadInput(label: "empty hub id in claim", field: "hubID") {
        _ = try await $0.published.updateEventPublishedToConsumedByHub(eventID: "e", hubID: "")
    },
    BadInput(label: "scheduled after year 9999", field: "scheduled.scheduled") {
        _ = try await $0.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: "e", scheduled: Date(timeIntervalSince1970: 300_000_000_000)))
    },
    BadInput(label: "port -1", field: "hub.externalPort") { _ = try await $0.hubs.persistHub(Fixture.hub(port: -1)) },
    BadInput(label: "port 65536", field: "hub.externalPort") {
        _ = try await $0.hubs.persistHub(Fixture.hub(port: 65536))
    },
    BadInput(label: "malformed IPv4", field: "hub.externalIP") {
        _ = try await $0.hubs.persistHub(Fixture.hub(ip: "256.1.1.1"))
    },
    BadInput(label: "malformed IPv6", field: "hub.externalIP") {
        _ = try await $0.hubs.persistHub(Fixture.hub(ip: "2001:db8:::1"))
    },
    BadInput(label: "hostname as IP", field: "hub.externalIP") {
        _ = try await $0.hubs.persistHub(Fixture.hub(ip: "localhost"))
    },
    BadInput(label: "certificate iv of 17 bytes", field: "certificate.keyIV") {
        var certificate = Fixture.certificate(validity: now)
        certificate.keyIV = Array(repeating: 1, count: 17)
        _ = try await $0.certificates.persistCertificate(certificate)
    },
    BadInput(label: "certificate key over 65535 bytes", field: "certificate.key") {
        var certificate = Fixture.certificate(validity: now)
        certificate.key = Array(repeating: 1, count: 65_536)
        _ = try await $0.certificates.persistCertificate(certificate)
    },
    BadInput(label: "non-ASCII certificate text", field: "certificate.cert") {
        _ = try await $0.certificates.persistCertificate(Fixture.certificate(validity: now, cert: "é"))
    },
    BadInput(label: "empty log agent", field: "log.agent") {
        try await $0.logs.persistLog(NewLogEntry(agent: "", message: "m"))
    },
    BadInput(label: "log message over 65535 bytes", field: "log.message") {
        try await $0.logs.persistLog(NewLogEntry(agent: "a", message: String(repeating: "é", count: 40_000)))
    },
    BadInput(label: "NaN in log error", field: "log.error") {
        try await $0.logs.persistLog(NewLogEntry(agent: "a", message: "m", error: [.double(.nan)]))
    },
    BadInput(label: "empty lock reference", field: "reference") {
        _ = try await $0.locks.withLock("", timeout: .seconds(1)) { 1 }
    },
    BadInput(label: "negative lock timeout", field: "timeout") {
        _ = try await $0.locks.withLock("l", timeout: .seconds(-1)) { 1 }
    },
    BadInput(label: "10,000-character event id", field: "event.id") {
        _ = try await $0.events.persistEvent(Fixture.event(id: long10k))
    },
    BadInput(label: "10,000-character id read", field: "id") { _ = try await $0.events.readEvent(id: long10k) },
    BadInput(label: "SQL text with a NUL as id", field: "event.id") {
        _ = try await $0.events.persistEvent(Fixture.event(id: "' OR 1=1 --\u{0}"))
    },
    BadInput(label: "emoji in eid", field: "eid") { _ = try await $0.events.readEvents(eid: "😀") },
    BadInput(label: "65-character hub id", field: "hub.id") { _ = try await $0.hubs.persistHub(Fixture.hub(long65)) },
    BadInput(label: "port Int.max", field: "hub.internalPort") {
        _ = try await $0.hubs.persistHub(
            NewHub(id: "h", externalIP: "::1", externalPort: 1, internalIP: "::1", internalPort: Int.max))
    },
    BadInput(label: "IP with a leading space", field: "hub.internalIP") {
        _ = try await $0.hubs.persistHub(
            NewHub(id: "h", externalIP: "::1", externalPort: 1, internalIP: " 10.0.0.1", internalPort: 1))
    },
    BadInput(label: "IPv6 text too long", field: "hub.externalIP") {
        _ = try await $0.hubs.persistHub(Fixture.hub(ip: "0000:0000:0000:0000:0000:ffff:255.255.255.255x"))
    },
    BadInput(label: "data over 8 MiB", field: "event.data") {
        _ = try await $0.events.persistEvent(
            Fixture.event(data: ["big": .string(String(repeating: "x", count: 8 * 1024 * 1024))]))
    },
    BadInput(label: "log error nested 33 deep", field: "log.error") {
        let deep = (0..<33).reduce(JSONValue.null) { inner, _ in ["k": inner] }
        try await $0.logs.persistLog(NewLogEntry(agent: "a", message: "m", error: deep))
    },
    BadInput(label: "certificate pass over 65535 bytes", field: "certificate.pass") {
        var certificate = Fixture.certificate(validity: now)
        certificate.pass = Array(repeating: 0, count: 65_536)
        _ = try await $0.certificates.persistCertificate(certificate)
    },
    BadInput(label: "certificate pass tag of 17 bytes", field: "certificate.passTag") {
        var certificate = Fixture.certificate(validity: now)
        certificate.passTag = Array(repeating: 0, count: 17)
        _ = try await $0.certificates.persistCertificate(certificate)
    },
    BadInput(label: "certificate validity in year 10000", field: "certificate.validity") {
        _ = try await $0.certificates.persistCertificate(
            Fixture.certificate(validity: Date(timeIntervalSince1970: 253_402_400_000)))
    },
    BadInput(label: "due-by date in year 10000", field: "dueBy") {
        _ = try await $0.scheduled.readEventsScheduled(dueBy: Date(timeIntervalSince1970: 253_402_400_000))
    },
    BadInput(label: "archive before year 1000", field: "before") {
        _ = try await $0.logs.archiveLog(before: Date(timeIntervalSince1970: -40_000_000_000))
    },
    BadInput(label: "redelivery limit 10,001", field: "limit") {
        _ = try await $0.published.readEventsPublishedNotConsumed(publishedBefore: now, limit: 10_001)
    },
    BadInput(label: "non-ASCII lock reference", field: "reference") {
        _ = try await $0.locks.withLock("lås", timeout: .seconds(1)) { 1 }
    },
    BadInput(label: "empty cpid domain in a publication", field: "publication.cpids.domain") {
        _ = try await $0.publish(Fixture.event(), publisher: "s", cpids: [EventCpid(domain: "", cpid: "c")])
    },
    BadInput(label: "event log cursor before year 1000", field: "after.timestamp") {
        _ = try await $0.events.readEvents(
            domain: "d", pid: "p", after: EventCursor(timestamp: Date(timeIntervalSince1970: -1e11), position: 0),
            limit: 1)
    },
    BadInput(label: "event log cursor at the distant past", field: "after.timestamp") {
        _ = try await $0.events.readEvents(
            domain: "d", pid: "p", after: EventCursor(timestamp: .distantPast, position: .max), limit: 1)
    },
    BadInput(label: "delivery cursor at NaN", field: "after.published") {
        _ = try await $0.published.readPendingDeliveries(
            publishedBefore: now, after: DeliveryCursor(published: Date(timeIntervalSince1970: .nan), eventID: "e"),
            limit: 1)
    },
    BadInput(label: "delivery cursor with an empty event id", field: "after.eventID") {
        _ = try await $0.published.readPendingDeliveries(
            publishedBefore: now, after: DeliveryCursor(published: now, eventID: ""), limit: 1)
    },
    BadInput(label: "events read from NaN", field: "from") {
        _ = try await $0.events.readEvents(domain: "d", pid: "p", from: Date(timeIntervalSince1970: .nan), to: now)
    },
    BadInput(label: "events read to infinity", field: "to") {
        _ = try await $0.events.readEvents(
            domain: "d", pid: "p", from: now, to: Date(timeIntervalSince1970: .infinity))
    },
    BadInput(label: "log read to minus infinity", field: "to") {
        _ = try await $0.logs.readLogs(agent: nil, from: nil, to: Date(timeIntervalSince1970: -.infinity))
    },
    BadInput(label: "log read from the distant past", field: "from") {
        _ = try await $0.logs.readLogs(agent: "a", from: .distantPast, to: nil)
    },
    BadInput(label: "event stream page size 0", field: "pageSize") {
        for try await _ in $0.events.events(domain: "d", pageSize: 0) {}
    },
    BadInput(label: "event log page size Int.max", field: "pageSize") {
        for try await _ in $0.events.eventLog(domain: "d", pid: "p", pageSize: .max) {}
    },
    BadInput(label: "pending deliveries page size -1", field: "pageSize") {
        for try await _ in $0.published.pendingDeliveries(publishedBefore: now, pageSize: -1) {}
    },
    BadInput(label: "retention lock timeout of Int64.max seconds", field: "lockTimeout") {
        _ = try await $0.applyRetention(before: now, lockTimeout: .seconds(Int64.max))
    },
    BadInput(label: "scheduler's negative longest sleep", field: "longestSleep") {
        for try await _ in $0.scheduled.dueEvents(longestSleep: .seconds(-1)) { break }
    },
]

extension EventflowDBContract {
    static func badInputRejected(_ backend: ContractBackend, _ input: BadInput) async throws {
        try await backend.withDatabase { db, clock in
            await expectError(.invalidInput, field: input.field) { try await input.call(db) }
            // Nothing written, and every table still there and empty.
            let counts = try await db.migrator.tableRowCounts()
            #expect(counts.count == 8 && counts.values.allSatisfy { $0 == 0 }, "\(counts)")
            await expectError(.certificateNotFound) { try await db.certificates.readCertificate(id: "ROOT") }
        }
    }

    static func badInputSqlTextIsData(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let hostile = ["' OR 1=1 --", "\"; DROP TABLE event; --", "a`b", "%_\\"]
            for text in hostile {
                let id = try await db.events.persistEvent(
                    Fixture.event(id: text, domain: text, pid: text, name: text, data: [text: .string(text)]))
                let event = try await db.events.readEvent(id: id)
                #expect(event.id == text && event.domain == text && event.pid == text && event.name == text)
                #expect(event.data == [text: .string(text)])
                #expect(try await db.events.readEvents(domain: text, pid: text).count == 1)
            }
            #expect(try await db.events.readDistinctPids(domain: "%_\\") == ["%_\\"])
            // Valid but large: a 1 MiB document is stored verbatim.
            let large: JSONValue = [
                "blob": .string(String(repeating: "é", count: 512 * 1024)), "sql": "'; DROP TABLE event; --",
            ]
            let id = try await db.events.persistEvent(Fixture.event(id: "large", data: large))
            #expect(try await db.events.readEvent(id: id).data == large)
            #expect(try await db.migrator.tableRowCounts()["event"] == hostile.count + 1)
        }
    }
}

extension EventflowDBContract {
    /// Bad input: each hostile input rejected before any I/O, and values that look like SQL stored as data.
    public static let badInput: [ContractCase] =
        badInputs.map { input in
            ContractCase(
                "Bad input",
                "\(input.label) is rejected with INVALID_INPUT naming \(input.field), and nothing is written"
            ) {
                try await badInputRejected($0, input)
            }
        } + [
            ContractCase("Bad input", "SQL text in ids, names and data is stored verbatim", badInputSqlTextIsData)
        ]
}

import EventflowDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import PropertyBased
import Testing

/// Every public operation that takes a date, a duration, a limit or a cursor, given generated
/// values (NaN, ±infinity, the distant past and future, the edges of the accepted ranges, 0,
/// negative and `Int.max` limits, and random values in and out of range), on every backend: a
/// value in the documented range is never refused as invalid input, any other is refused with
/// `E_EVENTFLOW_DB_INVALID_INPUT` naming the argument, and none traps (a trap would end the
/// test process).
@Suite("Input properties")
struct InputPropertyTests {
    /// The accepted ranges as the documentation states them (InputRange), written out here
    /// rather than read from the code under test.
    static let earliest: Double = -30_610_224_000  // 1000-01-01T00:00:00Z
    static let latest: Double = 253_402_300_799  // 9999-12-31T23:59:59Z
    static let longestWait = Duration.seconds(31_536_000)  // one year

    static let specialSeconds: [Double] = [
        .nan, .infinity, -.infinity, Date.distantPast.timeIntervalSince1970, Date.distantFuture.timeIntervalSince1970,
        0, -0.0, -1e11, 1e11, 1e300, -1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .leastNonzeroMagnitude, earliest, earliest - 0.001, latest, latest + 0.5, latest + 1,
    ]

    static let dates = Gen.oneOf(
        Gen.int(in: 0..<specialSeconds.count).map { specialSeconds[$0] },
        Gen.double(in: -1e13...1e13),
        Gen.double(in: earliest...latest)
    ).map(SecondsSince1970.init)

    static let specialLimits = [0, -1, 1, 10_000, 10_001, Int.max, Int.min]
    static let limits = Gen.oneOf(
        Gen.int(in: 0..<specialLimits.count).map { specialLimits[$0] },
        Gen.int(),
        Gen.int(in: -20_000...20_000)
    )

    static let specialDurations: [Duration] = [
        .zero, Duration(attoseconds: 1), Duration(attoseconds: -1), .seconds(-1), .seconds(Int64.max),
        .seconds(Int64.min),
        Duration(secondsComponent: .max, attosecondsComponent: 999_999_999_999_999_999), longestWait,
        longestWait + Duration(attoseconds: 1),
    ]
    static let durations = Gen.oneOf(
        Gen.int(in: 0..<specialDurations.count).map { specialDurations[$0] },
        Gen.int64().map { Duration.seconds($0) },
        Gen.int64(in: -1_000_000...40_000_000).map { Duration.milliseconds($0) }
    )

    static func accepts(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds.isFinite && seconds >= earliest && seconds <= latest
    }

    static func accepts(_ duration: Duration) -> Bool { duration >= .zero && duration <= longestWait }

    @Test(
        "every date argument: accepted within years 1000-9999, else INVALID_INPUT naming it", arguments: TestBackend.all
    )
    func dates(backend: TestBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await Self.scheduleOneDueEvent(db, clock)
            await propertyCheck(count: 60, input: Self.dates) { seconds in
                let date = seconds.date
                let accepted = Self.accepts(date)
                for operation in DateOperation.all {
                    await Self.expect(accepted, field: operation.field, operation.name) {
                        try await operation.call(db, clock, date)
                    }
                }
            }
        }
    }

    @Test(
        "every limit and page size: accepted from 1 to 10,000, else INVALID_INPUT naming it", arguments: TestBackend.all
    )
    func limits(backend: TestBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await Self.scheduleOneDueEvent(db, clock)
            await propertyCheck(count: 60, input: Self.limits) { limit in
                let accepted = (1...10_000).contains(limit)
                for operation in LimitOperation.all {
                    await Self.expect(accepted, field: operation.field, operation.name) {
                        try await operation.call(db, clock, limit)
                    }
                }
            }
        }
    }

    @Test("every wait: accepted from zero to a year, else INVALID_INPUT naming it", arguments: TestBackend.all)
    func durations(backend: TestBackend) async throws {
        try await backend.withDatabase { db, clock in
            try await Self.scheduleOneDueEvent(db, clock)
            await propertyCheck(count: 60, input: Self.durations) { duration in
                let accepted = Self.accepts(duration)
                for operation in DurationOperation.all {
                    await Self.expect(accepted, field: operation.field, operation.name) {
                        try await operation.call(db, clock, duration)
                    }
                }
            }
        }
    }

    @Test("every cursor position, up to UInt64.max, reads without trapping", arguments: TestBackend.all)
    func positions(backend: TestBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.events.persistEvent(NewEvent(domain: "d", pid: "p", name: "n"))
            await propertyCheck(count: 60, input: Gen.uint64()) { position in
                let cursor = EventCursor(timestamp: clock.now(), position: position)
                await Self.expect(true, field: "", "events after a position") {
                    _ = try await db.events.readEvents(domain: "d", after: position, limit: 10)
                }
                await Self.expect(true, field: "", "an event log page after a cursor") {
                    _ = try await db.events.readEvents(domain: "d", pid: "p", after: cursor, limit: 10)
                }
            }
        }
    }

    /// An event due a minute ago, so that a scheduler stream given acceptable values yields at once.
    static func scheduleOneDueEvent(_ db: EventflowDB, _ clock: ManualClock) async throws {
        _ = try await db.events.persistEvent(NewEvent(id: "due", domain: "d", pid: "p", name: "n"))
        _ = try await db.scheduled.persistEventScheduled(
            NewEventScheduled(eventID: "due", scheduled: clock.now().addingTimeInterval(-60)))
    }

    /// Accepted: the call succeeds or fails for another reason than invalid input. Refused: it
    /// fails with invalid input naming `field`.
    static func expect(
        _ accepted: Bool, field: String, _ name: String, _ call: () async throws -> Void
    ) async {
        do {
            try await call()
            if !accepted { Issue.record("\(name): accepted a value out of range") }
        } catch let error as EventflowDBError {
            if accepted {
                #expect(error.code != .invalidInput, "\(name): \(error)")
            } else {
                #expect(error.code == .invalidInput && error.field == field, "\(name): \(error)")
            }
        } catch {
            Issue.record("\(name): \(error)")
        }
    }
}

/// A generated date, described by its seconds since 1970: Foundation's `Date.description`
/// traps for dates far outside the calendar, and the property check describes a failing input.
struct SecondsSince1970: Sendable, CustomTestStringConvertible {
    let seconds: Double
    init(_ seconds: Double) { self.seconds = seconds }
    var date: Date { Date(timeIntervalSince1970: seconds) }
    var testDescription: String { "\(seconds) s since 1970" }
}

/// Reads every element of a stream (or only the first, for a stream that never ends).
private func drain<S: AsyncSequence>(_ sequence: S, firstOnly: Bool = false) async throws {
    for try await _ in sequence where firstOnly { break }
}

/// A public operation given a date, and the argument it must name when the date is out of range.
struct DateOperation: Sendable {
    let name: String
    let field: String
    let call: @Sendable (EventflowDB, ManualClock, Date) async throws -> Void

    static let all: [DateOperation] = [
        DateOperation(name: "persistEvent timestamp", field: "event.timestamp") { db, _, date in
            _ = try await db.events.persistEvent(NewEvent(timestamp: date, domain: "d", pid: "p", name: "n"))
        },
        DateOperation(name: "persistEvents timestamp", field: "event.timestamp") { db, _, date in
            _ = try await db.events.persistEvents([NewEvent(timestamp: date, domain: "d", pid: "p", name: "n")])
        },
        DateOperation(name: "publish event timestamp", field: "event.timestamp") { db, _, date in
            _ = try await db.publish(NewEvent(timestamp: date, domain: "d", pid: "p", name: "n"), publisher: "s")
        },
        DateOperation(name: "publish scheduled", field: "publication.scheduled") { db, _, date in
            _ = try await db.publish(NewEvent(domain: "d", pid: "p", name: "n"), publisher: "s", scheduled: date)
        },
        DateOperation(name: "readEvents from", field: "from") { db, clock, date in
            _ = try await db.events.readEvents(domain: "d", pid: "p", from: date, to: clock.now())
        },
        DateOperation(name: "readEvents to", field: "to") { db, clock, date in
            _ = try await db.events.readEvents(domain: "d", pid: "p", from: clock.now(), to: date)
        },
        DateOperation(name: "readEvents after a cursor", field: "after.timestamp") { db, _, date in
            _ = try await db.events.readEvents(
                domain: "d", pid: "p", after: EventCursor(timestamp: date, position: 1), limit: 10)
        },
        DateOperation(name: "eventLog from", field: "from") { db, _, date in
            try await drain(db.events.eventLog(domain: "d", pid: "p", from: date))
        },
        DateOperation(name: "eventLog to", field: "to") { db, _, date in
            try await drain(db.events.eventLog(domain: "d", pid: "p", to: date))
        },
        DateOperation(name: "readEventsPublishedNotConsumed", field: "publishedBefore") { db, _, date in
            _ = try await db.published.readEventsPublishedNotConsumed(publishedBefore: date, limit: 10)
        },
        DateOperation(name: "readPendingDeliveries", field: "publishedBefore") { db, _, date in
            _ = try await db.published.readPendingDeliveries(publishedBefore: date, limit: 10)
        },
        DateOperation(name: "readPendingDeliveries after a cursor", field: "after.published") { db, clock, date in
            _ = try await db.published.readPendingDeliveries(
                publishedBefore: clock.now(), after: DeliveryCursor(published: date, eventID: "e"), limit: 10)
        },
        DateOperation(name: "pendingDeliveries", field: "publishedBefore") { db, _, date in
            try await drain(db.published.pendingDeliveries(publishedBefore: date))
        },
        DateOperation(name: "deleteEventsPublishedFinished", field: "before") { db, _, date in
            _ = try await db.published.deleteEventsPublishedFinished(before: date, limit: 10)
        },
        DateOperation(name: "persistEventScheduled", field: "scheduled.scheduled") { db, _, date in
            _ = try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: "unknown", scheduled: date))
        },
        DateOperation(name: "readEventsScheduled", field: "dueBy") { db, _, date in
            _ = try await db.scheduled.readEventsScheduled(dueBy: date)
        },
        DateOperation(name: "readEventsScheduled with a limit", field: "dueBy") { db, _, date in
            _ = try await db.scheduled.readEventsScheduled(dueBy: date, limit: 10)
        },
        DateOperation(name: "readEventsScheduledUnfinished", field: "executedBefore") { db, _, date in
            _ = try await db.scheduled.readEventsScheduledUnfinished(executedBefore: date, limit: 10)
        },
        DateOperation(name: "deleteEventsScheduledFinished", field: "before") { db, _, date in
            _ = try await db.scheduled.deleteEventsScheduledFinished(before: date, limit: 10)
        },
        DateOperation(name: "persistCertificate validity", field: "certificate.validity") { db, _, date in
            _ = try await db.certificates.persistCertificate(
                Certificate(
                    id: "c", validity: date, cert: "", key: [], keyIV: [], keySalt: [], keyTag: [], pass: [],
                    passIV: [], passSalt: [], passTag: []))
        },
        DateOperation(name: "archiveLog", field: "before") { db, _, date in
            _ = try await db.logs.archiveLog(before: date)
        },
        DateOperation(name: "dropLogArchives", field: "before") { db, _, date in
            _ = try await db.logs.dropLogArchives(before: date)
        },
        DateOperation(name: "readLogs from", field: "from") { db, _, date in
            _ = try await db.logs.readLogs(agent: nil, from: date, to: nil)
        },
        DateOperation(name: "readLogs to", field: "to") { db, _, date in
            _ = try await db.logs.readLogs(agent: "a", from: nil, to: date)
        },
        DateOperation(name: "logLines from", field: "from") { db, _, date in
            try await drain(db.logs.logLines(from: date))
        },
        DateOperation(name: "logLines to", field: "to") { db, _, date in
            try await drain(db.logs.logLines(to: date))
        },
        DateOperation(name: "applyRetention", field: "before") { db, _, date in
            _ = try await db.applyRetention(before: date)
        },
    ]
}

/// A public operation given a limit or page size, and the argument it must name when refused.
struct LimitOperation: Sendable {
    let name: String
    let field: String
    let call: @Sendable (EventflowDB, ManualClock, Int) async throws -> Void

    static let all: [LimitOperation] = [
        LimitOperation(name: "readEvents after a position", field: "limit") { db, _, limit in
            _ = try await db.events.readEvents(domain: "d", after: 0, limit: limit)
        },
        LimitOperation(name: "readEvents after a cursor", field: "limit") { db, _, limit in
            _ = try await db.events.readEvents(domain: "d", pid: "p", after: nil, limit: limit)
        },
        LimitOperation(name: "events", field: "pageSize") { db, _, limit in
            try await drain(db.events.events(domain: "d", pageSize: limit))
        },
        LimitOperation(name: "eventLog", field: "pageSize") { db, _, limit in
            try await drain(db.events.eventLog(domain: "d", pid: "p", pageSize: limit))
        },
        LimitOperation(name: "events by cpid", field: "pageSize") { db, _, limit in
            try await drain(db.events.events(domain: "d", cpid: "c", pageSize: limit))
        },
        LimitOperation(name: "events by eid", field: "pageSize") { db, _, limit in
            try await drain(db.events.events(eid: "x", domain: "d", pageSize: limit))
        },
        LimitOperation(name: "readEventsPublishedNotConsumed", field: "limit") { db, clock, limit in
            _ = try await db.published.readEventsPublishedNotConsumed(publishedBefore: clock.now(), limit: limit)
        },
        LimitOperation(name: "readPendingDeliveries", field: "limit") { db, clock, limit in
            _ = try await db.published.readPendingDeliveries(publishedBefore: clock.now(), limit: limit)
        },
        LimitOperation(name: "pendingDeliveries", field: "pageSize") { db, clock, limit in
            try await drain(db.published.pendingDeliveries(publishedBefore: clock.now(), pageSize: limit))
        },
        LimitOperation(name: "readDeadLetters", field: "limit") { db, _, limit in
            _ = try await db.published.readDeadLetters(limit: limit)
        },
        LimitOperation(name: "deleteEventsPublishedFinished", field: "limit") { db, clock, limit in
            _ = try await db.published.deleteEventsPublishedFinished(before: clock.now(), limit: limit)
        },
        LimitOperation(name: "readEventsScheduled", field: "limit") { db, _, limit in
            _ = try await db.scheduled.readEventsScheduled(dueBy: nil, limit: limit)
        },
        LimitOperation(name: "readEventsScheduledUnfinished", field: "limit") { db, clock, limit in
            _ = try await db.scheduled.readEventsScheduledUnfinished(executedBefore: clock.now(), limit: limit)
        },
        LimitOperation(name: "deleteEventsScheduledFinished", field: "limit") { db, clock, limit in
            _ = try await db.scheduled.deleteEventsScheduledFinished(before: clock.now(), limit: limit)
        },
        LimitOperation(name: "logLines", field: "pageSize") { db, _, limit in
            try await drain(db.logs.logLines(pageSize: limit))
        },
        LimitOperation(name: "applyRetention", field: "batchSize") { db, clock, limit in
            _ = try await db.applyRetention(before: clock.now(), batchSize: limit)
        },
        LimitOperation(name: "dueEvents", field: "limit") { db, clock, limit in
            try await drain(db.scheduled.dueEvents(clock: clock, limit: limit), firstOnly: true)
        },
    ]
}

/// A public operation given a wait, and the argument it must name when refused.
struct DurationOperation: Sendable {
    let name: String
    let field: String
    let call: @Sendable (EventflowDB, ManualClock, Duration) async throws -> Void

    static let all: [DurationOperation] = [
        DurationOperation(name: "withLock", field: "timeout") { db, _, duration in
            _ = try await db.locks.withLock("property", timeout: duration) { 1 }
        },
        DurationOperation(name: "applyRetention", field: "lockTimeout") { db, clock, duration in
            _ = try await db.applyRetention(before: clock.now(), lockTimeout: duration)
        },
        DurationOperation(name: "dueEvents", field: "longestSleep") { db, clock, duration in
            try await drain(db.scheduled.dueEvents(clock: clock, longestSleep: duration), firstOnly: true)
        },
    ]
}

import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func eventGeneratesIDs(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let first = try await db.events.persistEvent(Fixture.event())
            clock.advance(by: 0.002)
            let second = try await db.events.persistEvent(Fixture.event())
            #expect(first != second)
            #expect(first < second)
            #expect((1...64).contains(first.utf8.count))
            #expect(first.utf8.allSatisfy { $0 < 0x80 })
        }
    }

    static func eventCatchUp(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let late = clock.now()
            clock.advance(by: 1)
            _ = try await db.events.persistEvent(Fixture.event(id: "c1", domain: "orders"))
            _ = try await db.events.persistEvent(Fixture.event(id: "c2", domain: "billing"))
            // Stored third but timestamped earlier: a catch-up read follows the order of storing.
            _ = try await db.events.persistEvent(Fixture.event(id: "c3", domain: "orders", timestamp: late))
            _ = try await db.events.persistEvent(Fixture.event(id: "c4", domain: "orders"))
            let first = try await db.events.readEvents(domain: "orders", after: 0, limit: 2)
            #expect(first.map(\.id) == ["c1", "c3"])
            let positions = first.compactMap(\.position)
            #expect(positions.count == 2 && positions[0] < positions[1])
            let rest = try await db.events.readEvents(domain: "orders", after: positions[1], limit: 2)
            #expect(rest.map(\.id) == ["c4"])
            let none = try await db.events.readEvents(domain: "orders", after: rest[0].position ?? 0, limit: 10)
            #expect(none.isEmpty)
            await expectError(.invalidInput, field: "limit") {
                try await db.events.readEvents(domain: "orders", after: 0, limit: 0)
            }
        }
    }

    static func eventLogStream(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for index in 0..<25 {
                // Every third event shares its timestamp with the one before: pages must split ties.
                if index % 3 != 0 { clock.advance(by: 0.001) }
                _ = try await db.events.persistEvent(
                    Fixture.event(id: "l\(index)", pid: "stream", name: index % 2 == 0 ? "even" : "odd"))
                if index % 5 == 0 { _ = try await db.events.persistEvent(Fixture.event(pid: "other")) }
            }
            let whole = try await db.events.readEvents(domain: "domain1", pid: "stream").map(\.id)
            #expect(whole.count == 25)
            var streamed: [String] = []
            for try await event in db.events.eventLog(domain: "domain1", pid: "stream", pageSize: 4) {
                streamed.append(event.id)
            }
            #expect(streamed == whole)

            let first = try await db.events.readEvents(domain: "domain1", pid: "stream", after: nil, limit: 10)
            let second = try await db.events.readEvents(
                domain: "domain1", pid: "stream", after: first.last?.cursor, limit: 10)
            #expect((first + second).map(\.id) == Array(whole.prefix(20)))

            var caughtUp: [String] = []
            for try await event in db.events.events(domain: "domain1", pageSize: 3) { caughtUp.append(event.id) }
            #expect(caughtUp.count == 30 && caughtUp.filter { $0.hasPrefix("l") } == whole)

            await expectError(.invalidInput, field: "pageSize") {
                for try await _ in db.events.eventLog(domain: "domain1", pid: "stream", pageSize: 0) {}
            }

            // The same filters as the array reads: a time window, and names.
            let log = try await db.events.readEvents(domain: "domain1", pid: "stream")
            let (from, to) = (log[5].timestamp, log[15].timestamp)
            var windowed: [String] = []
            for try await event in db.events.eventLog(domain: "domain1", pid: "stream", from: from, to: to, pageSize: 3)
            {
                windowed.append(event.id)
            }
            let window = try await db.events.readEvents(domain: "domain1", pid: "stream", from: from, to: to)
            #expect(windowed == window.map(\.id) && windowed.count >= 11)
            var evens: [String] = []
            for try await event in db.events.eventLog(domain: "domain1", pid: "stream", names: ["even"], pageSize: 4) {
                evens.append(event.id)
            }
            let named = try await db.events.readEvents(domain: "domain1", pid: "stream", names: ["even"])
            #expect(evens == named.map(\.id) && evens.count == 13)
            var none = 0
            for try await _ in db.events.eventLog(domain: "domain1", pid: "stream", names: []) { none += 1 }
            #expect(none == 0)
        }
    }

    static func eventRoundTrip(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let data: JSONValue = [
                "text": "héllo wörld 😀", "int": 9_007_199_254_740_993, "double": 0.1, "neg": -1.5e-7, "bool": true,
                "null": nil, "list": [1, "two", [3]], "nested": ["deep": ["deeper": [:]]], "quote": "a\"b\\c\n\u{0001}",
            ]
            let when = Date(timeIntervalSince1970: 1_700_000_000.987_654)
            let id = try await db.events.persistEvent(Fixture.event(id: "evt-1", timestamp: when, data: data))
            #expect(id == "evt-1")
            let event = try await db.events.readEvent(id: id)
            #expect(event.position != nil)
            #expect(
                event.content
                    == Event(
                        id: "evt-1", timestamp: when.truncatedToMilliseconds, domain: "domain1", rid: nil, pid: "pid1",
                        name: "created", data: data))
        }
    }

    static func eventDefaults(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let id = try await db.events.persistEvent(NewEvent(domain: "d", pid: "p", name: "n"))
            let event = try await db.events.readEvent(id: id)
            #expect(event.timestamp == clock.now().truncatedToMilliseconds)
            #expect(event.data == .emptyObject)
        }
    }

    static func eventDuplicateID(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.events.persistEvent(Fixture.event(id: "dup", name: "first"))
            let error = await expectError(.eventPersist) {
                try await db.events.persistEvent(Fixture.event(id: "dup", name: "second"))
            }
            #expect(error?.isDuplicate == true)
            #expect(try await db.events.readEvent(id: "dup").name == "first")
        }
    }

    static func eventRetryStoredOnce(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let first = NewEvent(id: "retry-1", domain: "d", pid: "p", name: "n", data: ["k": 1])
            #expect(try await db.events.persistEvent(first) == "retry-1")
            clock.advance(by: 3)
            // The same event again, as a restarted process retries it: no timestamp given, so the
            // one stamped by the first attempt stands.
            #expect(try await db.events.persistEvent(first) == "retry-1")
            let batch = [first, NewEvent(id: "retry-2", domain: "d", pid: "p", name: "m")]
            await expectError(.eventPersist) { try await db.events.persistEvents(batch) }
            _ = try await db.events.persistEvents([batch[1]])
            #expect(try await db.events.persistEvents(batch) == ["retry-1", "retry-2"])
            #expect(try await db.events.readEvents(domain: "d", pid: "p").map(\.id) == ["retry-1", "retry-2"])
            // With a timestamp given, it must match too.
            var stamped = first
            stamped.timestamp = clock.now()
            let other = await expectError(.eventPersist) { try await db.events.persistEvent(stamped) }
            #expect(other?.isDuplicate == true)
            #expect(other?.eventIDs == ["retry-1"])
            // A failure carries the ids it would have written, generated ones included.
            let generated = await expectError(.eventPersist) {
                try await db.events.persistEvents([
                    NewEvent(domain: "d", pid: "q", name: "x"), NewEvent(domain: "d", rid: "none", pid: "q", name: "y"),
                ])
            }
            #expect(generated?.eventIDs.count == 2)
            #expect(generated?.eventIDs.allSatisfy { !$0.isEmpty } == true)
        }
    }

    static func eventDuplicateErrorTextHidesValues(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let secret = "tok-9f3a7c1e-SECRET-value"
            _ = try await db.events.persistEvent(Fixture.event(id: secret, name: "first"))
            let error = try #require(
                await expectError(.eventPersist) {
                    try await db.events.persistEvent(Fixture.event(id: secret, name: "again"))
                })
            #expect(error.isDuplicate)
            for text in [
                error.description, "\(error)", String(describing: error), error.message, error.localizedDescription,
                "\(error.databaseError!)",
            ] {
                #expect(!text.contains("SECRET"), "\(text)")
            }
            #expect(error.databaseError?.number == 1062)
        }
    }

    static func eventUnknownRid(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let error = await expectError(.eventPersist) {
                try await db.events.persistEvent(Fixture.event(id: "child", rid: "missing"))
            }
            #expect(error?.isForeignKeyViolation == true)
            await expectError(.eventNotFound) { try await db.events.readEvent(id: "child") }
        }
    }

    static func eventNotFound(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            await expectError(.eventNotFound) { try await db.events.readEvent(id: "nonExistingId") }
        }
    }

    static func eventCaseSensitive(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.events.persistEvent(Fixture.event(id: "abc", name: "lower"))
            _ = try await db.events.persistEvent(Fixture.event(id: "ABC", name: "upper"))
            #expect(try await db.events.readEvent(id: "abc").name == "lower")
            #expect(try await db.events.readEvent(id: "ABC").name == "upper")
        }
    }

    static func eventEventLogOrder(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let base = clock.now()
            _ = try await db.events.persistEvent(Fixture.event(id: "late", timestamp: base.addingTimeInterval(10)))
            for index in 0..<5 {
                _ = try await db.events.persistEvent(Fixture.event(id: "same-\(index)", timestamp: base))
            }
            _ = try await db.events.persistEvent(Fixture.event(id: "early", timestamp: base.addingTimeInterval(-10)))
            _ = try await db.events.persistEvent(Fixture.event(id: "other-pid", pid: "pid2"))
            _ = try await db.events.persistEvent(Fixture.event(id: "other-domain", domain: "domain2"))
            let ids = try await db.events.readEvents(domain: "domain1", pid: "pid1").map(\.id)
            #expect(ids == ["early", "same-0", "same-1", "same-2", "same-3", "same-4", "late"])
        }
    }

    static func eventBetweenTimestamps(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let base = clock.now().truncatedToMilliseconds
            for offset in 0..<5 {
                _ = try await db.events.persistEvent(
                    Fixture.event(id: "t\(offset)", timestamp: base.addingTimeInterval(Double(offset))))
            }
            let ids = try await db.events.readEvents(
                domain: "domain1", pid: "pid1", from: base.addingTimeInterval(1), to: base.addingTimeInterval(3)
            ).map(\.id)
            #expect(ids == ["t1", "t2", "t3"])
        }
    }

    static func eventByNames(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            for (index, name) in ["created", "updated", "deleted", "created"].enumerated() {
                clock.advance(by: 1)
                _ = try await db.events.persistEvent(Fixture.event(id: "n\(index)", name: name))
            }
            let ids = try await db.events.readEvents(
                domain: "domain1", pid: "pid1", names: ["created", "deleted", "Created"]
            ).map(\.id)
            #expect(ids == ["n0", "n2", "n3"])
            #expect(try await db.events.readEvents(domain: "domain1", pid: "pid1", names: []).isEmpty)
        }
    }

    static func eventDistinctPids(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            for pid in ["b", "a", "c", "a", "B"] {
                _ = try await db.events.persistEvent(Fixture.event(pid: pid))
            }
            _ = try await db.events.persistEvent(Fixture.event(domain: "other", pid: "z"))
            #expect(try await db.events.readDistinctPids(domain: "domain1") == ["B", "a", "b", "c"])
            #expect(try await db.events.readDistinctPids(domain: "empty").isEmpty)
        }
    }

    static func eventDeleteCascades(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.hubs.persistHub(Fixture.hub())
            let parent = try await db.events.persistEvent(Fixture.event(id: "parent"))
            let child = try await db.events.persistEvent(Fixture.event(id: "child", rid: parent))
            #expect(try await db.events.persistEventCpid(eventID: parent, domain: "cd", cpid: "c1"))
            #expect(try await db.events.persistEventEid(eventID: parent, eid: "e1"))
            #expect(
                try await db.published.persistEventPublished(NewEventPublished(eventID: parent, publisher: "spoke")))
            #expect(
                try await db.scheduled.persistEventScheduled(NewEventScheduled(eventID: parent, scheduled: clock.now()))
            )

            #expect(try await db.events.deleteEvent(id: parent))
            await expectError(.eventNotFound) { try await db.events.readEvent(id: parent) }
            #expect(try await db.events.readEventCpids(eventID: parent).isEmpty)
            #expect(try await db.events.readEventEids(eventID: parent).isEmpty)
            await expectError(.eventPublishedNotFound) { try await db.published.readEventPublished(eventID: parent) }
            #expect(try await db.scheduled.readEventsScheduled(dueBy: clock.now()).isEmpty)
            #expect(try await db.events.readEvent(id: child).rid == nil)
            #expect(try await db.events.deleteEvent(id: parent) == false)
        }
    }

    static func eventDeleteEventLog(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            for index in 0..<3 { _ = try await db.events.persistEvent(Fixture.event(id: "x\(index)")) }
            _ = try await db.events.persistEvent(Fixture.event(id: "keep", pid: "pid2"))
            #expect(try await db.events.deleteEvents(domain: "domain1", pid: "pid1"))
            #expect(try await db.events.readEvents(domain: "domain1", pid: "pid1").isEmpty)
            #expect(try await db.events.readEvents(domain: "domain1", pid: "pid2").map(\.id) == ["keep"])
            #expect(try await db.events.deleteEvents(domain: "domain1", pid: "pid1") == false)
            #expect(try await db.events.readDistinctPids(domain: "domain1") == ["pid2"])
        }
    }
}

extension EventflowDBContract {
    static func eventBatchBatch(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let events = (0..<1_203).map {
                Fixture.event(id: $0 == 5 ? "given" : nil, pid: "batch", data: ["i": .integer(Int64($0))])
            }
            let ids = try await db.events.persistEvents(events)
            #expect(ids.count == 1_203 && Set(ids).count == 1_203 && ids[5] == "given")
            let stored = try await db.events.readEvents(domain: "domain1", pid: "batch")
            #expect(stored.map(\.id) == ids)
            #expect(stored.last?.data == ["i": 1202])
            #expect(try await db.events.persistEvents([]).isEmpty)
        }
    }

    static func eventBatchAllOrNothing(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.events.persistEvent(Fixture.event(id: "taken"))
            let duplicate = await expectError(.eventPersist) {
                try await db.events.persistEvents(
                    (0..<600).map { Fixture.event(id: $0 == 550 ? "taken" : "b\($0)", pid: "batch") })
            }
            #expect(duplicate?.isDuplicate == true)
            // One statement's worth (no transaction on MariaDB): still all or nothing.
            let single = await expectError(.eventPersist) {
                try await db.events.persistEvents(
                    (0..<100).map { Fixture.event(id: $0 == 50 ? "taken" : "s\($0)", pid: "batch") })
            }
            #expect(single?.isDuplicate == true)
            await expectError(.invalidInput, field: "event.name") {
                try await db.events.persistEvents([
                    Fixture.event(id: "ok", pid: "batch"), Fixture.event(pid: "batch", name: ""),
                ])
            }
            let stored = try await db.events.readEvents(domain: "domain1", pid: "batch")
            #expect(stored.isEmpty)
        }
    }
}

extension EventflowDBContract {
    /// Events.
    public static let event: [ContractCase] = [
        ContractCase(
            "Events", "persisting an event without an id generates a unique, time-ordered id", eventGeneratesIDs),
        ContractCase(
            "Events", "an event reads back as it was persisted, timestamp at millisecond precision", eventRoundTrip),
        ContractCase("Events", "an event without a timestamp is stamped now and without data stores {}", eventDefaults),
        ContractCase(
            "Events", "persisting a duplicate id fails with the duplicate cause and changes nothing", eventDuplicateID),
        ContractCase(
            "Events",
            "persisting events again as they were stored (a retry, from any process) answers their ids and stores them once; a failure carries the ids",
            eventRetryStoredOnce),
        ContractCase(
            "Events",
            """
            a duplicate's error text never quotes the bound value; only \
            the debug description has the server's message
            """,
            eventDuplicateErrorTextHidesValues),
        ContractCase(
            "Events", "persisting an event whose rid refers to no event fails with a foreign-key cause", eventUnknownRid
        ),
        ContractCase("Events", "reading an event that does not exist fails with EVENT_NOT_FOUND", eventNotFound),
        ContractCase(
            "Events", "a catch-up read returns a domain's events after a position, in the order stored", eventCatchUp),
        ContractCase(
            "Events", "an event log streams in keyset pages, ties split across pages, equal to the whole read",
            eventLogStream),
        ContractCase("Events", "ids are case-sensitive", eventCaseSensitive),
        ContractCase(
            "Events", "an event log reads oldest first, and equal timestamps keep insertion order", eventEventLogOrder),
        ContractCase("Events", "reading between timestamps includes both bounds", eventBetweenTimestamps),
        ContractCase(
            "Events", "reading by names returns only those names, and an empty list returns nothing", eventByNames),
        ContractCase("Events", "distinct pids of a domain come back ascending", eventDistinctPids),
        ContractCase(
            "Events",
            """
            deleting an event cascades to its associations and delivery \
            state, and clears rid of events that refer to it
            """,
            eventDeleteCascades),
        ContractCase(
            "Events", "deleting by domain and pid removes the whole event log and only it", eventDeleteEventLog),
    ]
}

extension EventflowDBContract {
    /// Event batches.
    public static let eventBatch: [ContractCase] = [
        ContractCase(
            "Event batches", "a batch is stored in order with its ids, across several statements", eventBatchBatch),
        ContractCase("Event batches", "a batch with one bad event stores none of them", eventBatchAllOrNothing),
    ]
}

import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    /// Runs `body` on a fresh database of `backend` with its way of holding a write open.
    static func withHeldWrites(
        _ backend: ContractBackend,
        _ body: (EventflowDB, @escaping @Sendable ([NewEvent]) async throws -> HeldWrite) async throws -> Void
    ) async throws {
        let database = try await backend.makeDatabase(clock: ManualClock(now: ContractBackend.referenceDate))
        // Every write held open, rolled back before the teardown unless it ended: an open one
        // would keep its table locked (on MariaDB, DROP DATABASE would wait for it).
        let held = LockedState([HeldWrite]())
        do {
            let holdWrite = try #require(database.holdWrite, "the backend cannot hold a write open")
            try await body(database.db) { events in
                let write = try await holdWrite(events)
                held.withLock { $0.append(write) }
                return write
            }
        } catch {
            for write in held.withLock({ $0 }) { try? await write.rollBack() }
            try? await database.teardown()
            throw error
        }
        for write in held.withLock({ $0 }) { try? await write.rollBack() }
        try await database.teardown()
    }

    static func lateCommitSkippedByPositionFollowedByFeed(_ backend: ContractBackend) async throws {
        try await withHeldWrites(backend) { db, holdWrite in
            let early = try await holdWrite([Fixture.event(id: "early", domain: "orders")])
            let late = try await db.events.persistEvent(Fixture.event(id: "late", domain: "orders"))
            let late2 = try await db.publish(Fixture.event(id: "late-2", domain: "orders"), publisher: "spoke")

            // Both readers see the committed events; the held one is invisible to both.
            let byPosition = try await db.events.readEvents(domain: "orders", after: 0, limit: 100)
            #expect(byPosition.map(\.id) == [late, late2])
            let fed = try await db.follow.readFollowed(domain: "orders", after: 0, limit: 100)
            #expect(fed.map(\.event.id) == [late, late2])

            try await early.commit()
            // The held write took the smaller position: a reader paging by position passed it.
            let lowest = try #require(byPosition.last?.position)
            #expect(try await db.events.readEvents(domain: "orders", after: lowest, limit: 100).isEmpty)
            // The feed granted it a position after every one granted before: read exactly once.
            let after = try #require(fed.last?.position)
            let next = try await db.follow.readFollowed(domain: "orders", after: after, limit: 100)
            #expect(next.map(\.event.id) == ["early"])
            #expect(try await db.follow.readFollowed(domain: "orders", after: next[0].position, limit: 100).isEmpty)
            let all = try await db.follow.readFollowed(domain: "orders", after: 0, limit: 100)
            #expect(all.map(\.event.id) == [late, late2, "early"])
        }
    }

    static func rolledBackWriteNeverFollowed(_ backend: ContractBackend) async throws {
        try await withHeldWrites(backend) { db, holdWrite in
            let doomed = try await holdWrite([
                Fixture.event(id: "doomed-1", domain: "orders"), Fixture.event(id: "doomed-2", domain: "orders"),
            ])
            _ = try await db.events.persistEvent(Fixture.event(id: "kept", domain: "orders"))
            try await doomed.rollBack()
            _ = try await db.events.persistEvent(Fixture.event(id: "kept-2", domain: "orders"))
            let fed = try await db.follow.readFollowed(domain: "orders", after: 0, limit: 100)
            #expect(fed.map(\.event.id) == ["kept", "kept-2"])
            #expect(fed[0].position < fed[1].position)
        }
    }

    static func feedKeepsDomainsApartAndSkipsDeleted(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.events.persistEvents([
                Fixture.event(id: "o-1", domain: "orders"), Fixture.event(id: "b-1", domain: "billing"),
                Fixture.event(id: "o-2", domain: "orders"), Fixture.event(id: "o-3", domain: "orders"),
            ])
            let orders = try await db.follow.readFollowed(domain: "orders", after: 0, limit: 2)
            #expect(orders.map(\.event.id) == ["o-1", "o-2"])
            #expect(try await db.follow.readFollowed(domain: "billing", after: 0, limit: 10).map(\.event.id) == ["b-1"])
            try await db.events.deleteEvent(id: "o-3")
            #expect(try await db.follow.readFollowed(domain: "orders", after: orders[1].position, limit: 10).isEmpty)
            #expect(orders[0].event == (try await db.events.readEvent(id: "o-1")))
        }
    }

    static func consumerPositionsStoredWithLag(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.events.persistEvents((1...5).map { Fixture.event(id: "e-\($0)", domain: "orders") })
            #expect(try await db.follow.readConsumerPosition(name: "hub-1", domain: "orders") == 0)
            let fed = try await db.follow.readFollowed(domain: "orders", after: 0, limit: 2)
            try await db.follow.updateConsumerPosition(name: "hub-1", domain: "orders", position: fed[1].position)
            try await db.follow.updateConsumerPosition(name: "hub-0", domain: "orders", position: 0)
            #expect(try await db.follow.readConsumerPosition(name: "hub-1", domain: "orders") == fed[1].position)
            let consumers = try await db.follow.readConsumers()
            #expect(consumers.map(\.name) == ["hub-0", "hub-1"])
            #expect(consumers.map(\.behind) == [5, 3])
            // A restarted consumer resumes after its stored position.
            let resumed = try await db.follow.readFollowed(
                domain: "orders", after: try await db.follow.readConsumerPosition(name: "hub-1", domain: "orders"),
                limit: 10)
            #expect(resumed.map(\.event.id) == ["e-3", "e-4", "e-5"])
            #expect(try await db.follow.deleteConsumer(name: "hub-0", domain: "orders"))
            #expect(!(try await db.follow.deleteConsumer(name: "hub-0", domain: "orders")))
            #expect(try await db.follow.readConsumers().map(\.name) == ["hub-1"])
        }
    }

    static func feedRejectsBadInput(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            await expectError(.invalidInput, field: "domain") {
                try await db.follow.readFollowed(domain: "", after: 0, limit: 10)
            }
            await expectError(.invalidInput, field: "limit") {
                try await db.follow.readFollowed(domain: "orders", after: 0, limit: 0)
            }
            await expectError(.invalidInput, field: "name") {
                try await db.follow.updateConsumerPosition(name: "", domain: "orders", position: 1)
            }
            let consumers = try await db.follow.readConsumers()
            #expect(consumers.isEmpty)
        }
    }

    static func followWakesOnLocalWrite(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let first = Task { () -> String? in
                // A poll far longer than the test: only the wake-up can deliver the event in time.
                for try await followed in db.follow.follow(domain: "orders", poll: .seconds(60)) {
                    return followed.event.id
                }
                return nil
            }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            _ = try await db.publish(Fixture.event(id: "wake", domain: "orders"), publisher: "spoke")
            #expect(try await first.value == "wake")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }
}

extension EventflowDBContract {
    struct Stop: Error {}

    static func consumerResumesAfterLastHandled(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.events.persistEvents((1...3).map { Fixture.event(id: "e-\($0)", domain: "orders") })
            // A consumer that fails on e-2 (a crash while handling it) has stored e-1 only.
            var first: [String] = []
            do {
                try await db.consume(domain: "orders", as: "hub-1") { followed in
                    first.append(followed.event.id)
                    if followed.event.id == "e-2" { throw Stop() }
                }
                Issue.record("consume returned")
            } catch is Stop {}
            #expect(first == ["e-1", "e-2"])
            // Restarted, it resumes with e-2, then e-3; an event written meanwhile wakes it.
            var second: [String] = []
            let writer = Task {
                try await Task.sleep(for: .milliseconds(300))
                try await db.events.persistEvent(Fixture.event(id: "e-4", domain: "orders"))
            }
            do {
                try await db.consume(domain: "orders", as: "hub-1", poll: .seconds(60)) { followed in
                    second.append(followed.event.id)
                    if followed.event.id == "e-4" { throw Stop() }
                }
                Issue.record("consume returned")
            } catch is Stop {}
            _ = try await writer.value
            #expect(second == ["e-2", "e-3", "e-4"])
            let stored = try await db.follow.readConsumers()
            #expect(stored.map(\.name) == ["hub-1"] && stored.map(\.behind) == [1])
        }
    }
}

extension EventflowDBContract {
    /// A domain's feed (``/EventflowDB/FollowRepository``).
    public static let follow: [ContractCase] = [
        ContractCase(
            "Follow", "a write committed out of position order is skipped by the position read and followed once",
            lateCommitSkippedByPositionFollowedByFeed),
        ContractCase("Follow", "a rolled-back write is never followed", rolledBackWriteNeverFollowed),
        ContractCase(
            "Follow", "the feed keeps domains apart and skips deleted events", feedKeepsDomainsApartAndSkipsDeleted),
        ContractCase(
            "Follow", "consumer positions are stored, read with their lag, and deleted", consumerPositionsStoredWithLag),
        ContractCase("Follow", "bad input is rejected before any read", feedRejectsBadInput),
        ContractCase(
            "Follow", "a follower waiting for events wakes on a write of its process", followWakesOnLocalWrite),
        ContractCase(
            "Follow", "a named consumer resumes after the last event it handled, pinned to a connection",
            consumerResumesAfterLastHandled),
        ContractCase(
            "Follow", "8 writers and 2 followers: every acknowledged event reaches each follower once, in one order",
            followUnderLoad),
    ]
}

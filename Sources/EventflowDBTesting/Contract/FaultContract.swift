import EventflowDB
import Foundation
import Testing

/// Fault plans: each kind means the same on every backend (the same error, the same
/// `isOutcomeUnknown`, the same answer from a retry).
extension EventflowDBContract {
    static func faultLostReply(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let plan = FaultPlan.script([Fault(.lostReply, at: .afterApply, on: .persistEvents, occurrence: 2)])
            let faulty = plan.wrap(db)
            _ = try await faulty.events.persistEvent(Fixture.event(id: "first"))
            let event = NewEvent(domain: "d", pid: "p", name: "n")
            let error = try #require(await expectError(.eventPersist) { try await faulty.events.persistEvent(event) })
            #expect(error.isOutcomeUnknown)
            #expect(error.isConnectionFailure)
            // Applied: the write is there, and a retry with the id it was given answers it once.
            #expect(try await db.events.readEvents(domain: "d", pid: "p").count == 1)
            let id = try #require(try await db.events.readEvents(domain: "d", pid: "p").first?.id)
            #expect(error.eventIDs == [id])
            var retry = event
            retry.id = id
            #expect(try await faulty.events.persistEvent(retry) == id)
            #expect(try await db.events.readEvents(domain: "d", pid: "p").count == 1)
            #expect(plan.injected == [Fault(.lostReply, at: .afterApply, on: .persistEvents, occurrence: 2)])
        }
    }

    static func faultNotApplied(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let cases: [(FaultKind, DatabaseError.Kind)] = [
                (.droppedConnection, .connectionLost), (.deadlock, .deadlock), (.lockWaitTimeout, .lockWaitTimeout),
                (.duplicateKey, .duplicateKey), (.lostReply, .connectionLost),
            ]
            for (index, (kind, expected)) in cases.enumerated() {
                let point: FaultPoint = kind == .deadlock ? .atCommit : .beforeStatement
                let faulty = FaultPlan.script([Fault(kind, at: point, on: .persistHub)]).wrap(db)
                let id = "hub-\(index)"
                let error = try #require(
                    await expectError(.hubPersist) { try await faulty.hubs.persistHub(Fixture.hub(id)) })
                #expect(error.databaseError?.kind == expected, "\(kind)")
                #expect(!error.isOutcomeUnknown, "\(kind)")
                #expect(try await db.hubs.readHubs().contains { $0.id == id } == false, "\(kind) applied nothing")
                #expect(try await faulty.hubs.persistHub(Fixture.hub(id)), "\(kind): the retry applies")
            }
        }
    }

    static func faultLatency(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            _ = try await db.hubs.persistHub(Fixture.hub("hub-1"))
            let faulty = FaultPlan.script([Fault(.latency(.milliseconds(50)), at: .afterApply, on: .heartbeat)])
                .wrap(db)
            let start = ContinuousClock.now
            #expect(try await faulty.hubs.recordHeartbeat(hubID: "hub-1"))
            #expect(ContinuousClock.now - start >= .milliseconds(50))
            #expect(try await db.hubs.readHubs().first?.lastSeen != nil)
        }
    }

    static func faultSeedReplays(_ backend: ContractBackend) async throws {
        func run(_ seed: UInt64, on db: EventflowDB) async -> (faults: [Fault], hash: UInt64, stored: Int) {
            let plan = FaultPlan.seeded(seed, probability: 0.3)
            let faulty = plan.wrap(db)
            var stored = 0
            for i in 0..<40 {
                let event = NewEvent(id: "s\(seed)-\(i)", domain: "seeded", pid: "s\(seed)", name: "n")
                // A careful spoke: retries with the same id until it learns the outcome.
                for _ in 0..<10 {
                    do {
                        _ = try await faulty.events.persistEvent(event)
                        stored += 1
                        break
                    } catch {}
                }
            }
            return (plan.injected, plan.traceHash, stored)
        }
        try await backend.withDatabase { db, _ in
            let first = await run(7, on: db)
            let again = await run(7, on: db)
            let other = await run(8, on: db)
            #expect(!first.faults.isEmpty)
            #expect(first.faults == again.faults)
            #expect(first.hash == again.hash)
            #expect(first.hash != other.hash)
            // Every event acknowledged once, whatever struck it on the way.
            #expect(first.stored == 40)
            let events = try await db.events.readEvents(domain: "seeded", pid: "s7")
            #expect(events.count == 40)
        }
    }

    /// Fault plans.
    public static let fault: [ContractCase] = [
        ContractCase(
            "Fault plans",
            "a lost reply after apply is an unknown outcome; the write is there and its retry answers it once",
            faultLostReply),
        ContractCase(
            "Fault plans",
            "a dropped connection, deadlock, lock wait timeout or duplicate key before apply fails with its MariaDB kind and applies nothing",
            faultNotApplied),
        ContractCase("Fault plans", "latency delays the answer and changes nothing else", faultLatency),
        ContractCase(
            "Fault plans", "a seed replays the same faults and trace hash; another seed differs", faultSeedReplays),
    ]
}

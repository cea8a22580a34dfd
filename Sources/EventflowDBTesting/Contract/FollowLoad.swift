public import EventflowDB
import Foundation
import Testing

/// The feed under load: 8 writers (publish, single and batch persists, writes held open and
/// committed late or rolled back) and 2 followers, and beside them a reader paging by insertion
/// position, to show what the feed cures. Writers and followers may use different databases
/// objects (on a cluster, different nodes).
public enum FollowLoad {
    static let domain = "load"
    static let writers = 8
    static let operationsPerWriter = 165

    /// What a run found.
    public struct Outcome: Sendable {
        /// Events acknowledged to the writers.
        public let acknowledged: Int
        /// Acknowledged events the reader paging by position never read.
        public let missedByPosition: Int
    }

    /// One writer's operations; the ids of the events it was acknowledged for.
    static func write(
        _ writer: Int, db: EventflowDB, holdWrite: @escaping @Sendable ([NewEvent]) async throws -> HeldWrite
    ) async throws -> [String] {
        var acknowledged: [String] = []
        for operation in 0..<operationsPerWriter {
            func event(_ part: Int = 0) -> NewEvent {
                Fixture.event(id: "w\(writer)-\(operation)-\(part)", domain: domain, pid: "p\(writer)")
            }
            switch operation % 5 {
            case 0, 4:
                acknowledged.append(try await db.publish(event(), publisher: "spoke-\(writer)"))
            case 1:
                acknowledged.append(try await db.events.persistEvent(event()))
            case 2:
                acknowledged += try await db.events.persistEvents((0..<4).map(event))
            default:
                let events = (0..<2).map(event)
                let held = try await holdWrite(events)
                do {
                    try await Task.sleep(for: .milliseconds(2))
                    if operation % 10 == 3 {
                        try await held.rollBack()
                    } else {
                        try await held.commit()
                        acknowledged += events.compactMap(\.id)
                    }
                } catch {
                    try? await held.rollBack()
                    throw error
                }
            }
        }
        return acknowledged
    }

    /// What a follower or a reader has read so far.
    final class Reads: Sendable {
        let state = LockedState((ids: [String](), position: UInt64(0)))
        var ids: [String] { state.withLock { $0.ids } }
        var position: UInt64 { state.withLock { $0.position } }
        func add(_ id: String, at position: UInt64) {
            state.withLock {
                $0.ids.append(id)
                $0.position = position
            }
        }
    }

    /// Waits until `done` holds, checking every 20 ms, for at most `limit`.
    static func wait(upTo limit: Duration, until done: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await done()
    }

    /// Runs the load: writer `i` writes through `writers[i % writers.count]`, follower `j`
    /// follows through `followers[j % followers.count]`, writes are held open with `holdWrite`.
    /// Records an issue for every event a follower misses or reads twice, and for followers
    /// that disagree on the order.
    @discardableResult
    public static func run(
        writers: [EventflowDB], followers: [EventflowDB],
        holdWrite: @escaping @Sendable ([NewEvent]) async throws -> HeldWrite
    ) async throws -> Outcome {
        // Held open through the whole load: the position reader passes it for certain.
        let longHeld = try await holdWrite([Fixture.event(id: "long-held", domain: domain)])
        do {
            return try await run(writers: writers, followers: followers, holdWrite: holdWrite, longHeld: longHeld)
        } catch {
            try? await longHeld.rollBack()
            throw error
        }
    }

    private static func run(
        writers: [EventflowDB], followers: [EventflowDB],
        holdWrite: @escaping @Sendable ([NewEvent]) async throws -> HeldWrite, longHeld: HeldWrite
    ) async throws -> Outcome {
        let db = writers[0]
        let reads = (0..<2).map { _ in Reads() }
        let followerTasks = reads.indices.map { index in
            Task {
                let follower = followers[index % followers.count]
                for try await followed in follower.follow.follow(domain: domain, pageSize: 100) {
                    reads[index].add(followed.event.id, at: followed.position)
                }
            }
        }
        let byPosition = Reads()
        let positionReader = Task {
            while !Task.isCancelled {
                let page = try await db.events.readEvents(domain: domain, after: byPosition.position, limit: 100)
                for event in page { byPosition.add(event.id, at: event.position ?? 0) }
                if page.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
        var acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for writer in 0..<Self.writers {
                group.addTask { try await write(writer, db: writers[writer % writers.count], holdWrite: holdWrite) }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        let newest = try await db.events.readEvents(domain: domain, after: 0, limit: 10_000).compactMap(\.position)
            .max()
        let caughtUp = try await wait(upTo: .seconds(60)) { byPosition.position >= newest ?? 0 }
        #expect(caughtUp, "the position reader did not reach the newest position")
        try await longHeld.commit()
        acknowledged.append("long-held")
        #expect(acknowledged.count >= 2_000)

        let delivered = try await wait(upTo: .seconds(120)) { reads.allSatisfy { $0.ids.count >= acknowledged.count } }
        followerTasks.forEach { $0.cancel() }
        positionReader.cancel()
        _ = await positionReader.result
        for task in followerTasks {
            // A follower ends by cancellation only; a read that failed before is an issue.
            if case .failure(let error) = await task.result, !(error is CancellationError) {
                Issue.record("a follower failed: \(error)")
            }
        }
        #expect(delivered, "followers read \(reads.map(\.ids.count)) of \(acknowledged.count) events")

        for follower in reads {
            let ids = follower.ids
            #expect(Set(ids).count == ids.count, "a follower read an event twice")
            let (missing, extra) = (Set(acknowledged).subtracting(ids), Set(ids).subtracting(acknowledged))
            #expect(
                missing.isEmpty && extra.isEmpty,
                "a follower missed \(missing.count) (\(missing.sorted().prefix(5))) and read \(extra.count) unacknowledged"
            )
        }
        // Each event holds one position of its own: two events granted one position (two steps
        // granting from one counter value) would hide one of them from a follower.
        let granted = try await db.follow.readFollowed(domain: domain, after: 0, limit: 10_000)
        #expect(Set(granted.map(\.position)).count == granted.count, "two events share a follow position")
        #expect(Set(granted.map(\.event.id)) == Set(acknowledged), "the feed holds every acknowledged event")
        let common = min(reads[0].ids.count, reads[1].ids.count)
        #expect(
            reads[0].ids.prefix(common) == reads[1].ids.prefix(common),
            "the followers read the events in different orders")

        // The position reader, caught up once more, still misses what committed behind it.
        while true {
            let page = try await db.events.readEvents(domain: domain, after: byPosition.position, limit: 1_000)
            if page.isEmpty { break }
            for event in page { byPosition.add(event.id, at: event.position ?? 0) }
        }
        let missed = Set(acknowledged).subtracting(byPosition.ids)
        #expect(missed.contains("long-held"))
        return Outcome(acknowledged: acknowledged.count, missedByPosition: missed.count)
    }
}

extension EventflowDBContract {
    static func followUnderLoad(_ backend: ContractBackend) async throws {
        try await withHeldWrites(backend) { db, holdWrite in
            let outcome = try await FollowLoad.run(writers: [db], followers: [db], holdWrite: holdWrite)
            print(
                """
                follow load (\(backend.name)): every follower read all \(outcome.acknowledged) events once, \
                in one order; paging by position missed \(outcome.missedByPosition)
                """)
        }
    }
}

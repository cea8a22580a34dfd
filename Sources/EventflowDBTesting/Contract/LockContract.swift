import EventflowDB
import Foundation
import Synchronization
import Testing

extension EventflowDBContract {
    static func lockExcludes(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let gauge = Gauge()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await db.locks.withLock("contract-lock", timeout: .seconds(20)) {
                            gauge.enter()
                            try await Task.sleep(for: .milliseconds(30))
                            gauge.leave()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(gauge.maximum == 1)
        }
    }

    static func lockTimesOut(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            try await db.locks.withLock("busy-lock", timeout: .seconds(5)) {
                _ = await expectError(.lockTimeout) {
                    try await db.locks.withLock("busy-lock", timeout: .milliseconds(200)) { "never" }
                }
            }
        }
    }

    static func lockLongWait(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let held = AsyncStream<Void>.makeStream()
            async let holder: Void = db.locks.withLock("long-lock", timeout: .seconds(5)) {
                held.continuation.yield()
                try await Task.sleep(for: .milliseconds(6_500))
            }
            for await _ in held.stream { break }
            let value = try await db.locks.withLock("long-lock", timeout: .seconds(20)) { "acquired" }
            #expect(value == "acquired")
            try await holder
        }
    }

    static func lockCancelledWaiter(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            let held = AsyncStream<Void>.makeStream()
            let release = AsyncStream<Void>.makeStream()
            async let holder: Void = db.locks.withLock("cancelled-lock", timeout: .seconds(5)) {
                held.continuation.yield()
                for await _ in release.stream { break }
            }
            for await _ in held.stream { break }
            let waiter = Task { try await db.locks.withLock("cancelled-lock", timeout: .seconds(60)) { "acquired" } }
            // Lets the waiter start waiting; one cancelled before it waits must end the same way.
            try await Task.sleep(for: .milliseconds(300))
            let cancelled = ContinuousClock.now
            waiter.cancel()
            let result = await waiter.result
            let waited = ContinuousClock.now - cancelled
            // Well inside the waiter's timeout, and above the MariaDB lock's one-second wait slice.
            #expect(waited < .seconds(20), "a cancelled waiter waited \(waited)")
            #expect(throws: CancellationError.self) { try result.get() }
            release.continuation.yield()
            try await holder
            // The cancelled waiter was not handed the lock: it is free again.
            let value = try await db.locks.withLock("cancelled-lock", timeout: .seconds(2)) { 7 }
            #expect(value == 7)
        }
    }

    static func lockReleasedOnThrow(_ backend: ContractBackend) async throws {
        struct Boom: Error {}
        try await backend.withDatabase { db, _ in
            await #expect(throws: Boom.self) {
                try await db.locks.withLock("throwing-lock", timeout: .seconds(5)) { throw Boom() }
            }
            let value = try await db.locks.withLock("throwing-lock", timeout: .milliseconds(500)) { 42 }
            #expect(value == 42)
        }
    }

    static func lockTimeoutOutOfRange(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            for timeout in [Duration.seconds(Int64.max), .seconds(-1), .seconds(31_536_001)] {
                await expectError(.invalidInput, field: "timeout") {
                    try await db.locks.withLock("range-lock", timeout: timeout) { 1 }
                }
            }
        }
    }
}

/// Counts how many bodies are inside a lock at once, and the most ever seen.
final class Gauge: Sendable {
    private let state = LockedState((inside: 0, maximum: 0))

    func enter() {
        state.withLock {
            $0.inside += 1; $0.maximum = max($0.maximum, $0.inside)
        }
    }

    func leave() {
        state.withLock { $0.inside -= 1 }
    }

    var maximum: Int { state.withLock { $0.maximum } }
}

extension EventflowDBContract {
    /// Locks.
    public static let lock: [ContractCase] = [
        ContractCase("Locks", "a lock excludes other holders until its body returns", lockExcludes),
        ContractCase("Locks", "a lock not acquired within the timeout fails with LOCK_TIMEOUT", lockTimesOut),
        ContractCase(
            "Locks", "a wait longer than one server wait slice still gets the lock when it is freed", lockLongWait),
        ContractCase(
            "Locks", "a waiter whose task is cancelled stops waiting at once with CancellationError",
            lockCancelledWaiter),
        ContractCase("Locks", "a lock is released when its body throws", lockReleasedOnThrow),
        ContractCase(
            "Locks",
            """
            lock timeouts beyond a year or below zero are invalid input, \
            never a trap
            """, lockTimeoutOutOfRange),
    ]
}

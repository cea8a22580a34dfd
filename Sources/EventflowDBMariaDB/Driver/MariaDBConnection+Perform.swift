import EventflowDB
import Foundation
import Synchronization

/// How a caller waits for a statement on a connection's thread.
///
/// Awaiting the connection (an actor on a thread of its own) suspends the caller: its
/// cooperative thread parks, and the reply then wakes two threads, the connection's and a
/// cooperative one to resume the caller. When few statements are in flight, the caller instead
/// watches for the result for a moment on its own thread, so the reply wakes only the
/// connection's thread, as a plain C client's reply wakes its one thread. It watches only when
/// the connection's recent statements took less than ``watch`` (a long read would only burn
/// the watcher's core beside the server's), and only while at most ``watchWhileAtMost``
/// statements are in flight, so watchers never crowd the cooperative pool.
enum StatementWait {
    /// How long a caller watches before suspending: a little more than a fast statement's round trip.
    static let watch: Duration = .microseconds(250)
    /// Statements in flight in this process through ``MariaDBConnection/perform(_:)``.
    static let inFlight = Atomic<Int>(0)
    /// Watching pays only while at most this many statements are in flight.
    static let watchWhileAtMost = 1
    /// How many statements were in flight lately, in sixteenths (a moving average over the
    /// last submissions): a process whose callers overlap does not watch even in a lull.
    static let recentLoad = Atomic<Int>(0)

    /// Notes a submission with `inFlight` statements in flight; whether its caller may watch.
    static func mayWatch(inFlight: Int) -> Bool {
        let old = recentLoad.load(ordering: .relaxed)
        let load = (old * 7 + inFlight * 16) / 8
        recentLoad.store(load, ordering: .relaxed)
        return inFlight <= watchWhileAtMost && load < 24  // fewer than 1.5 in flight lately
    }
}

/// The result of work handed to a connection's thread: written once there, taken once by the
/// caller, who either finds it while watching or is resumed by the writer.
private final class Completion<T: Sendable>: Sendable {
    private enum State {
        case pending
        case done(Result<T, any Error>)
        case waiting(CheckedContinuation<T, any Error>)
        case taken
    }
    private let state = LockedState(State.pending)
    /// Set once the result is written: a watcher reads it without the lock.
    private let ready = Atomic<Bool>(false)

    func complete(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            if case .waiting(let continuation) = state {
                state = .taken
                return continuation
            }
            state = .done(result)
            return nil
        }
        ready.store(true, ordering: .releasing)
        waiter?.resume(with: result)
    }

    var isReady: Bool { ready.load(ordering: .acquiring) }

    /// The result when it is there.
    func take() -> Result<T, any Error>? {
        state.withLock { state in
            guard case .done(let result) = state else { return nil }
            state = .taken
            return result
        }
    }

    func wait() async throws -> T {
        try await state.withContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let result = state.withLock { state -> Result<T, any Error>? in
                if case .done(let result) = state {
                    state = .taken
                    return result
                }
                state = .waiting(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }
}

extension MariaDBConnection {
    /// Runs `work` with the connection on its own thread and returns what it returns, waiting as
    /// ``StatementWait`` describes.
    nonisolated func perform<T: Sendable>(
        _ work: @escaping @Sendable (isolated MariaDBConnection) throws -> T
    ) async throws -> T {
        // A closed connection's thread has ended: a hop onto it would wait forever.
        guard executor.isRunning else { throw DatabaseError(kind: .closed, message: "the connection is closed") }
        // A task pinned to this connection already runs on its thread: no hand-off at all.
        if executor.isCurrentThread {
            let started = ContinuousClock.now
            defer { noteStatementTime(ContinuousClock.now - started) }
            return try runOnOwnThread(work)
        }
        let inFlight = StatementWait.inFlight.add(1, ordering: .relaxed).newValue
        defer { StatementWait.inFlight.subtract(1, ordering: .relaxed) }
        guard StatementWait.mayWatch(inFlight: inFlight) && recentStatementTime < StatementWait.watch else {
            // The ordinary hop onto the connection's executor and back.
            let started = ContinuousClock.now
            defer { noteStatementTime(ContinuousClock.now - started) }
            return try await work(self)
        }
        let completion = Completion<T>()
        let accepted = executor.perform { [self] in
            let started = ContinuousClock.now
            let result = Result { try self.assumeIsolated { try work($0) } }
            noteStatementTime(ContinuousClock.now - started)
            completion.complete(result)
        }
        guard accepted else { throw DatabaseError(kind: .closed, message: "the connection is closed") }
        let deadline = ContinuousClock.now + StatementWait.watch
        while ContinuousClock.now < deadline {
            if completion.isReady, let result = completion.take() { return try result.get() }
        }
        return try await completion.wait()
    }

    /// Runs `work` isolated to the connection; only on the connection's own thread.
    private nonisolated func runOnOwnThread<T: Sendable>(
        _ work: @Sendable (isolated MariaDBConnection) throws -> T
    ) throws -> T {
        try assumeIsolated { try work($0) }
    }
}

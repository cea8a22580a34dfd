import CMariaDB
import EventflowDB
import Foundation
import Logging

/// Wakes this process's followers within milliseconds of another process's commit to `event`,
/// by reading the server's binary log as a replica does (issue #23).
///
/// Why the binary log: MariaDB has no notification a client can wait on; the binary log is in
/// commit order, is pushed to a replica as each transaction commits, and on a Galera node
/// (with `log_slave_updates`) holds every node's commits. Its reader learns only *that* a
/// transaction wrote the event table, never what: a wake is a hint, the follower then reads
/// its feed as always, and still reads every `poll` when this path is unavailable.
///
/// One stream per ``MariaDBRepository``, opened when a follower first waits, on a connection of
/// its own that asks the server for a heartbeat every second: a server that stops answering
/// (a frozen node) is noticed within the read timeout, and the stream is opened again, on
/// another node of a cluster. It needs `log_bin` and the `REPLICATION SLAVE` and
/// `BINLOG MONITOR` privileges; without them it says so once, at `warning`, and followers
/// wait by their poll alone.
final class BinlogWake: Sendable {
    private struct State {
        var started = false
        var stopping = false
        var connection: MariaDBConnection?
        var task: Task<Void, Never>?
        /// Whether a failure of the stream was reported (once per process, at `warning`).
        var reportedFailure = false
    }

    private let state = LockedState(State())
    /// The read timeout that notices a server gone silent: it sends a heartbeat every second
    /// (`@master_heartbeat_period`) while its log is idle.
    static let readTimeout: Duration = .seconds(5)

    /// Starts the stream once; later calls do nothing. `signal` is called for every commit
    /// that wrote the table `event` of the configured database.
    func startIfNeeded(_ context: MariaDBContext, signal: WriteSignal) {
        let start = state.withLock { state -> Bool in
            guard !state.started, !state.stopping else { return false }
            state.started = true
            return true
        }
        guard start else { return }
        let task = Task.detached { [self] in await run(context, signal: signal) }
        state.withLock { $0.task = task }
    }

    /// Ends the stream and waits for it.
    func stop() async {
        let task = state.withLock { state in
            state.stopping = true
            // Under the lock: ``close(_:)`` takes the connection out under it before closing it,
            // so this socket is still the stream's.
            state.connection?.shutDownSocket()
            return state.task
        }
        task?.cancel()
        await task?.value
    }

    /// Whether the stream was stopped.
    private var isStopping: Bool { state.withLock { $0.stopping } }

    /// Opens the stream and reads it until it fails, again and again until stopped, waiting
    /// 1 s, then longer (up to 30 s) while it keeps failing. A stream that ran a while and ended
    /// (a lost connection, a server restart) is noted; one that cannot be opened (the binary log
    /// off, a missing privilege, a server gone) is reported at `warning` once until one opens.
    private func run(_ context: MariaDBContext, signal: WriteSignal) async {
        var delay: Duration = .seconds(1)
        while !isStopping {
            let started = ContinuousClock.now
            do {
                try await stream(context, signal: signal)
            } catch {
                if ContinuousClock.now - started >= .seconds(10) {
                    delay = .seconds(1)
                    state.withLock { $0.reportedFailure = false }
                    context.logger.notice(
                        "the binary log stream ended; it is opened again", metadata: ["error": "\(error)"])
                } else if state.withLock({ state in
                    defer { state.reportedFailure = true }
                    return !state.reportedFailure
                }) {
                    context.logger.warning(
                        """
                        the binary log cannot be read: followers learn of other processes' commits \
                        by their poll only until it can (it needs log_bin and the REPLICATION SLAVE \
                        and BINLOG MONITOR privileges)
                        """,
                        metadata: ["error": "\(error)"])
                } else {
                    context.logger.debug("the binary log stream failed again", metadata: ["error": "\(error)"])
                }
            }
            delay = min(delay * 2, .seconds(30))
        }
    }

    /// One stream: from the log's current end, signalling each commit that wrote `event`.
    private func stream(_ context: MariaDBContext, signal: WriteSignal) async throws {
        let connection = try await context.pool.connectOutsidePool(limits: .namedLocks(within: Self.readTimeout))
        let registered = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.connection = connection
            return true
        }
        guard registered else {
            await connection.close()
            return
        }
        let database = context.pool.configuration.database
        do {
            try await connection.runBlocking { connection in
                guard let end = try connection.execute("SHOW MASTER STATUS").rows.first else {
                    throw DatabaseError(kind: .other, message: "the server's binary log is off (log_bin)")
                }
                let (file, position) = (try end.string(0), try end.int(1))
                // A replica's announcements: the checksums it reads, MariaDB's own events (GTIDs),
                // a heartbeat every second (in nanoseconds) while the log is idle.
                _ = try connection.query(
                    """
                    SET @master_binlog_checksum = @@global.binlog_checksum, @mariadb_slave_capability = 4, \
                    @master_heartbeat_period = 1000000000
                    """)
                try connection.withHandle { handle in
                    try Self.read(handle, file: file, position: UInt(position), database: database, signal: signal)
                }
            }
        } catch {
            await close(connection)
            throw error
        }
        await close(connection)
    }

    /// Forgets the stream's connection before closing it: once closed its socket's number may
    /// be another connection's, which ``stop()`` must never shut down.
    private func close(_ connection: MariaDBConnection) async {
        state.withLock { $0.connection = nil }
        await connection.close()
    }

    /// Reads the stream until it fails (a lost connection, a missed heartbeat, a socket shut
    /// down by ``stop()``); throws what ended it.
    private static func read(
        _ handle: UnsafeMutablePointer<MYSQL>, file: String, position: UInt, database: String, signal: WriteSignal
    ) throws {
        // A server id of our own: the server ends an older stream that uses the same one.
        let serverID = UInt32.random(in: 0x4000_0000...0x7FFF_FFFF)
        guard let rpl = eventflow_binlog_open(handle, file, position, serverID) else {
            throw MariaDBConnection.error(of: handle)
        }
        var event: UnsafeMutablePointer<MARIADB_RPL_EVENT>?
        defer {
            if let event { mariadb_free_rpl_event(event) }
            mariadb_rpl_close(rpl)
        }
        // Commits made before the stream's start position were not seen: wake the followers once,
        // so that they read what those commits wrote.
        let echo = Echo(signal)
        echo.signal()
        var writesEvents = false
        while true {
            switch eventflow_binlog_next(rpl, &event, database, "event") {
            case Int32(EVENTFLOW_BINLOG_TABLE.rawValue):
                writesEvents = true
            case Int32(EVENTFLOW_BINLOG_COMMIT.rawValue):
                if writesEvents { echo.signal() }
                writesEvents = false
            case Int32(EVENTFLOW_BINLOG_OTHER.rawValue):
                continue
            default:
                var error = MariaDBConnection.error(of: handle)
                if error.number == 0 {
                    error = DatabaseError(
                        kind: .connectionLost, message: String(cString: mariadb_rpl_error(rpl)))
                }
                throw error
            }
        }
    }
}

/// Signals a commit at once and again 2, 20 and 200 ms later: the server sends a transaction's
/// events to the binary log's readers when it has written them to the log, a moment before the
/// transaction is visible to other sessions, so a follower woken at once may not see it yet (in
/// the wake test, a follower whose first read found nothing slept until its poll in 1 run of
/// about 5). The echoes of commits close together are shared.
final class Echo: Sendable {
    private let target: WriteSignal
    private let pending = LockedState(false)
    static let delays: [Duration] = [.milliseconds(2), .milliseconds(18), .milliseconds(180)]

    init(_ target: WriteSignal) { self.target = target }

    func signal() {
        target.signal()
        let start = pending.withLock { pending -> Bool in
            defer { pending = true }
            return !pending
        }
        guard start else { return }
        // Detached: the caller is the connection's thread, blocked in the stream.
        Task.detached { [target, pending] in
            for delay in Self.delays {
                try? await Task.sleep(for: delay)
                if delay == Self.delays[0] { pending.withLock { $0 = false } }
                target.signal()
            }
        }
    }
}

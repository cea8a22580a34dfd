import CEventflowBaseline
import CMariaDB
import Foundation
import Synchronization

/// Design B, the other direction issue #13 names: one event-loop thread drives every
/// connection through Connector/C's non-blocking calls (`mysql_stmt_execute_start`/`_cont`) and
/// waits for all their sockets at once (epoll); no thread per connection. Callers hand it a
/// closure and suspend; the loop resumes them when their statement is done. Every `_start` and
/// its `_cont`s run on this one thread (Connector/C's coroutine must not change threads).
final class DesignLoop: @unchecked Sendable {
    private struct Queue {
        var work: [@Sendable () -> Void] = []
        var sleeping = false
    }
    private let queue = Mutex(Queue())
    private let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
    private let wakeUp = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
    // The loop thread's own.
    private var waiters: [Int32: (Int32) -> Void] = [:]
    private var armed: Set<Int32> = []

    init() {
        _ = eventflow_epoll_watch(epoll, wakeUp)
        Thread { [self] in run() }.start()
    }

    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Runs `body` on the loop; `body` calls its completion (on the loop) with the result.
    func run<T: Sendable>(_ body: @escaping @Sendable (@escaping (T) -> Void) -> Void) async -> T {
        await withUnsafeContinuation { continuation in
            let sleeping = queue.withLock { queue -> Bool in
                queue.work.append { body { continuation.resume(returning: $0) } }
                defer { queue.sleeping = false }
                return queue.sleeping
            }
            if sleeping {
                var one: UInt64 = 1
                _ = write(wakeUp, &one, 8)
            }
        }
    }

    /// On the loop: calls `then` with what became ready once `socket` is ready for what
    /// Connector/C's `status` asks.
    func wait(for socket: Int32, _ status: Int32, then: @escaping (Int32) -> Void) {
        var events: UInt32 = 0
        if status & MYSQL_WAIT_READ != 0 { events |= EPOLLIN.rawValue }
        if status & MYSQL_WAIT_WRITE != 0 { events |= EPOLLOUT.rawValue }
        _ = eventflow_epoll_arm(epoll, socket, events, armed.insert(socket).inserted ? 1 : 0)
        waiters[socket] = then
    }

    private func run() {
        var batch: [@Sendable () -> Void] = []
        var ready = [Int32](repeating: 0, count: 64)
        while true {
            queue.withLock { swap(&batch, &$0.work) }
            for item in batch { item() }
            let idle = batch.isEmpty
            batch.removeAll(keepingCapacity: true)
            let timeout =
                idle
                ? queue.withLock { queue -> Int32 in
                    if !queue.work.isEmpty { return 0 }
                    queue.sleeping = true
                    return -1
                } : 0
            let count = eventflow_epoll_wait(epoll, &ready, timeout)
            if timeout != 0 { queue.withLock { $0.sleeping = false } }
            for index in 0..<max(0, Int(count)) {
                let socket = ready[index]
                if socket == wakeUp {
                    var value: UInt64 = 0
                    _ = read(wakeUp, &value, 8)
                } else if let waiter = waiters.removeValue(forKey: socket) {
                    waiter(MYSQL_WAIT_READ | MYSQL_WAIT_WRITE)
                }
            }
        }
    }
}

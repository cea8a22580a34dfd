import Foundation

/// Design A, the library's own shape without the library: a thread per connection runs the
/// blocking calls; the caller hands it a closure and suspends until the thread resumes it. The
/// thread looks for its next closure for 100 µs (yielding) before it sleeps, as the driver's
/// `ThreadExecutor` does.
final class DesignThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []  // guarded by `condition`

    init() { Thread { [self] in run() }.start() }

    /// Runs `body` on the thread and returns what it returns.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withUnsafeContinuation { continuation in
            condition.lock()
            work.append { continuation.resume(returning: body()) }
            condition.signal()
            condition.unlock()
        }
    }

    private func run() {
        var batch: [@Sendable () -> Void] = []
        while true {
            let spinUntil = DesignLoop.nanoseconds() + 100_000
            while DesignLoop.nanoseconds() < spinUntil {
                condition.lock()
                let ready = !work.isEmpty
                condition.unlock()
                if ready { break }
                sched_yield()
            }
            condition.lock()
            while work.isEmpty { condition.wait() }
            swap(&batch, &work)
            condition.unlock()
            for item in batch { item() }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

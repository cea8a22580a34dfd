import Foundation

/// A serial executor that runs every job on one dedicated thread.
///
/// Connector/C's calls block; an actor whose executor is one of these keeps them off Swift's
/// cooperative thread pool, and confines the connection's C handle to one thread.
final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var isStopping = false
    /// How long to look for a next job before sleeping.
    /// 100 µs: measured here, it cut the cost of back-to-back statements on one connection
    /// (eventflow-db-bench W1 at concurrency 1 went from 0.67 to 0.80 of the C baseline) and
    /// costs at most that much CPU after the last job of a burst.
    static let spinNanoseconds: UInt64 = 100_000

    private static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Starts the thread.
    init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets the thread finish the jobs it has, then end.
    func shutdown() {
        condition.lock()
        isStopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            // Before sleeping, look for the next job for a moment: a caller issuing statements
            // back to back sends the next one within microseconds, and waking a sleeping thread
            // costs far more than that on a virtual machine.
            let spinUntil = Self.monotonicNanoseconds() + Self.spinNanoseconds
            while Self.monotonicNanoseconds() < spinUntil {
                condition.lock()
                let ready = !jobs.isEmpty || isStopping
                condition.unlock()
                if ready { break }
                sched_yield()
            }
            condition.lock()
            while jobs.isEmpty && !isStopping { condition.wait() }
            if jobs.isEmpty && isStopping {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

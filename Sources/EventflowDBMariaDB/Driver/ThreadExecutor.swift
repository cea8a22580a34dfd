import CMariaDB
import Foundation
import Synchronization

/// A serial executor that runs every job on one dedicated thread.
///
/// Connector/C's calls block; an actor whose executor is one of these keeps them off Swift's
/// cooperative thread pool, and confines the connection's C handle to one thread.
///
/// It is also a `TaskExecutor`: a task that prefers it (``MariaDBConnectionPool/withPinnedConnection(_:)``)
/// runs its own code on this thread too, so its statements need no hand-off between threads.
final class ThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    /// Work handed over as plain closures (``perform(_:)``), run in order with the jobs.
    private var closures: [@Sendable () -> Void] = []
    /// The thread's id, for ``checkIsolated()``.
    private let threadID = Atomic<UInt>(0)
    private var isStopping = false
    /// Set, under the lock, when the thread's loop has ended.
    private var hasEnded = false
    /// How long to look for a next job before sleeping: back-to-back statements on one
    /// connection then find the thread awake instead of waking it, and the look costs at most
    /// this much CPU after the last job of a burst.
    static let spinNanoseconds: UInt64 = 100_000

    private static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Starts the thread, named `name` for `top -H` and debuggers (Linux keeps 15 bytes of it).
    init(name: String) {
        let thread = Thread { [self] in
            threadID.store(UInt(pthread_self()), ordering: .releasing)
            eventflow_set_thread_name(name)
            run()
        }
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

    /// Runs `work` on the thread, after what is queued. False when the thread has ended (the
    /// connection was closed): `work` will never run.
    func perform(_ work: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if hasEnded { return false }
        closures.append(work)
        condition.signal()
        return true
    }

    /// False once the thread's loop has ended: nothing enqueued after that would ever run.
    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !hasEnded && !isStopping
    }

    /// Isolation is this thread: code that runs on it (a job, or work handed to ``perform(_:)``)
    /// holds the actor whose executor this is.
    func checkIsolated() {
        precondition(isCurrentThread, "not on the connection's thread")
    }

    /// True on the executor's own thread.
    var isCurrentThread: Bool { UInt(pthread_self()) == threadID.load(ordering: .acquiring) }

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
        var work: [@Sendable () -> Void] = []
        while true {
            // Before sleeping, look for the next job for a moment: a caller issuing statements
            // back to back sends the next one within microseconds, and waking a sleeping thread
            // costs far more than that on a virtual machine.
            let spinUntil = Self.monotonicNanoseconds() + Self.spinNanoseconds
            while Self.monotonicNanoseconds() < spinUntil {
                condition.lock()
                let ready = !jobs.isEmpty || !closures.isEmpty || isStopping
                condition.unlock()
                if ready { break }
                sched_yield()
            }
            condition.lock()
            while jobs.isEmpty && closures.isEmpty && !isStopping { condition.wait() }
            if jobs.isEmpty && closures.isEmpty && isStopping {
                hasEnded = true
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            swap(&work, &closures)
            condition.unlock()
            for job in batch {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
            batch.removeAll(keepingCapacity: true)
            for item in work { item() }
            work.removeAll(keepingCapacity: true)
        }
    }
}

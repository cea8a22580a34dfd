#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`.
///
/// Used instead of the standard library's `Mutex` because ThreadSanitizer understands pthread
/// mutexes: `Mutex` on Linux locks with futex calls that ThreadSanitizer does not see, so every
/// access it guards would be reported as a race and real races could hide among them
/// (`.ci/run` runs the whole suite under ThreadSanitizer and fails on any report).
package final class LockedState<Value>: @unchecked Sendable {
    // `value` is read and written only with `mutex` held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Suspends until `body`'s continuation is resumed, by code that resumes it only after
    /// holding this lock (deciding, under the lock, who resumes it): a waiter handed a value
    /// across threads.
    ///
    /// After the continuation returns it takes the lock once more. A continuation resumed before
    /// its task reached `await` lets the task run on at once (the Swift runtime's fast path), and
    /// that path does not tell ThreadSanitizer that the resuming thread's writes happen before
    /// the task's reads: a new connection handed over that way was reported as a race in a CI
    /// run. The memory ordering itself is sound; the lock makes it visible, for the price of an
    /// uncontended lock.
    package func withContinuation<T>(_ body: (CheckedContinuation<T, any Error>) -> Void) async throws -> T {
        defer { synchronize() }
        return try await withCheckedThrowingContinuation(body)
    }

    /// The same for a continuation that cannot fail.
    package func withContinuation<T>(_ body: (CheckedContinuation<T, Never>) -> Void) async -> T {
        defer { synchronize() }
        return await withCheckedContinuation(body)
    }

    private func synchronize() {
        pthread_mutex_lock(mutex)
        pthread_mutex_unlock(mutex)
    }
}

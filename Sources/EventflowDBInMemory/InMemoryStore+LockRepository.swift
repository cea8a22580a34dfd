public import EventflowDB

/// ``/EventflowDB/LockRepository`` in memory: named locks shared by everything using the same store.
extension InMemoryStore: LockRepository {
    public func holdLock<T: Sendable>(
        _ reference: Identifier, timeout: Timeout, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await acquireLock(reference.value, timeout: timeout.duration)
        lockTokens[reference.value, default: 0] += 1
        let token = lockTokens[reference.value]
        do {
            let result = try await LockFencing.$token.withValue(token) { try await body() }
            releaseLock(reference.value)
            return result
        } catch {
            releaseLock(reference.value)
            throw error
        }
    }

    /// Takes the lock, waiting at most `timeout`; a cancelled caller stops waiting at once with
    /// `CancellationError`, as the MariaDB lock's waiter does.
    private func acquireLock(_ reference: String, timeout: Duration) async throws {
        try ensureOpen(.lock)
        try Task.checkCancellation()
        if !heldLocks.contains(reference) {
            heldLocks.insert(reference)
            return
        }
        nextWaiterID += 1
        let waiterID = nextWaiterID
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            await self?.expireWaiter(reference, id: waiterID)
        }
        defer { timer.cancel() }
        // The waiter is registered before this actor can run the cancellation's removal (which
        // hops onto it), so a cancellation at any point finds the waiter to fail.
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lockWaiters[reference, default: []].append((waiterID, continuation))
            }
        } onCancel: {
            Task { await self.failWaiter(reference, id: waiterID, with: CancellationError()) }
        }
    }

    private func expireWaiter(_ reference: String, id: UInt64) {
        failWaiter(
            reference, id: id,
            with: EventflowDBError(.lockTimeout, "advisory lock '\(reference)' is busy by a different process"))
    }

    /// Ends a waiter still waiting for `reference` with `error`; a waiter already handed the lock
    /// (or already ended) is left alone.
    private func failWaiter(_ reference: String, id: UInt64, with error: any Error) {
        guard let index = lockWaiters[reference]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = lockWaiters[reference]!.remove(at: index)
        if lockWaiters[reference]?.isEmpty == true { lockWaiters[reference] = nil }
        waiter.continuation.resume(throwing: error)
    }

    /// Releases the lock, handing it straight to the next waiter if there is one.
    private func releaseLock(_ reference: String) {
        if var waiters = lockWaiters[reference], !waiters.isEmpty {
            let next = waiters.removeFirst()
            lockWaiters[reference] = waiters.isEmpty ? nil : waiters
            next.continuation.resume()
        } else {
            heldLocks.remove(reference)
        }
    }
}

public import EventflowDB

/// ``/EventflowDB/LockRepository`` in memory: named locks shared by everything using the same store.
extension InMemoryStore: LockRepository {
    public func withLock<T: Sendable>(
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

    /// Takes the lock, waiting at most `timeout`.
    private func acquireLock(_ reference: String, timeout: Duration) async throws {
        try ensureOpen(.lock)
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
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            lockWaiters[reference, default: []].append((waiterID, continuation))
        }
    }

    private func expireWaiter(_ reference: String, id: UInt64) {
        guard let index = lockWaiters[reference]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = lockWaiters[reference]!.remove(at: index)
        waiter.continuation.resume(
            throwing: EventflowDBError(.lockTimeout, "advisory lock '\(reference)' is busy by a different process"))
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

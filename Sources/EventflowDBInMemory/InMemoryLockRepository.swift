public import EventflowDB

/// ``LockRepository`` in memory: named locks shared by everything using the same store.
extension InMemoryRepository: LockRepository {
    public func withLock<T: Sendable>(
        _ reference: Identifier, timeout: Timeout, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await store.acquireLock(reference.value, timeout: timeout.duration)
        do {
            let result = try await body()
            await store.releaseLock(reference.value)
            return result
        } catch {
            await store.releaseLock(reference.value)
            throw error
        }
    }
}

public import EventflowDB

/// ``LockRepository`` in memory: named locks shared by everything using the same store.
public struct InMemoryLockRepository: LockRepository {
    public let store: InMemoryStore

    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    public func withLock<T: Sendable>(
        _ reference: String, timeout: Duration, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try Validator.identifier(reference, field: "reference")
        try Validator.timeout(timeout, field: "timeout")
        try await store.acquireLock(reference, timeout: timeout)
        do {
            let result = try await body()
            await store.releaseLock(reference)
            return result
        } catch {
            await store.releaseLock(reference)
            throw error
        }
    }
}

public import EventflowDB
public import EventflowDBInMemory

/// A write of events a test holds open: its events took their insertion positions
/// (``/EventflowDB/Event/position``) and are not committed, as a slow transaction between its
/// `INSERT` and its `COMMIT`. The feed cases use it to make writers commit out of position order.
public struct HeldWrite: Sendable {
    /// Commits the write.
    public let commit: @Sendable () async throws -> Void
    /// Rolls the write back.
    public let rollBack: @Sendable () async throws -> Void

    /// A held write made of its two endings. Only the first ending called runs; later calls
    /// (a rollback after the commit) do nothing.
    public init(
        commit: @escaping @Sendable () async throws -> Void, rollBack: @escaping @Sendable () async throws -> Void
    ) {
        let ended = LockedState(false)
        func once(_ body: @escaping @Sendable () async throws -> Void) -> @Sendable () async throws -> Void {
            {
                let first = ended.withLock { ended in
                    defer { ended = true }
                    return !ended
                }
                if first { try await body() }
            }
        }
        self.commit = once(commit)
        self.rollBack = once(rollBack)
    }

    /// Holds writes open in an in-memory store (``/EventflowDBInMemory/InMemoryStore/openWrite(_:)``).
    public static func holding(in store: InMemoryStore) -> @Sendable ([NewEvent]) async throws -> HeldWrite {
        { events in
            let write = try await store.openWrite(events)
            return HeldWrite(commit: { try await store.commit(write) }, rollBack: { await store.rollBack(write) })
        }
    }
}

import EventflowDB

/// Every repository protocol in memory, over one ``InMemoryStore``, with the MariaDB
/// implementation's behaviour and errors.
///
/// One value serves as ``EventRepository``, ``EventPublishedRepository``,
/// ``EventScheduledRepository``, ``HubRepository``, ``CertificateRepository``, ``LogRepository``,
/// ``LockRepository``, ``PublicationRepository`` and ``SchemaMigrator``; the conformances live in
/// a file each. The names per protocol (``InMemoryEventRepository``, ...) stay as aliases.
///
/// ```swift
/// let store = InMemoryStore(clock: ManualClock())
/// let events: any EventRepository = InMemoryRepository(store: store)
/// ```
public struct InMemoryRepository: Sendable {
    /// The tables every conformance reads and writes.
    public let store: InMemoryStore

    /// Repositories over `store` (a new, empty one by default).
    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }
}

/// ``EventRepository`` in memory.
public typealias InMemoryEventRepository = InMemoryRepository
/// ``EventPublishedRepository`` in memory.
public typealias InMemoryEventPublishedRepository = InMemoryRepository
/// ``EventScheduledRepository`` in memory.
public typealias InMemoryEventScheduledRepository = InMemoryRepository
/// ``HubRepository`` in memory.
public typealias InMemoryHubRepository = InMemoryRepository
/// ``CertificateRepository`` in memory.
public typealias InMemoryCertificateRepository = InMemoryRepository
/// ``LogRepository`` in memory.
public typealias InMemoryLogRepository = InMemoryRepository
/// ``LockRepository`` in memory.
public typealias InMemoryLockRepository = InMemoryRepository
/// ``PublicationRepository`` in memory.
public typealias InMemoryPublicationRepository = InMemoryRepository
/// ``SchemaMigrator`` in memory.
public typealias InMemorySchemaMigrator = InMemoryRepository

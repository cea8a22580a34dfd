/// ``EventRepository`` in memory: an ``InMemoryStore``, which is every repository.
public typealias InMemoryEventRepository = InMemoryStore
/// ``EventPublishedRepository`` in memory.
public typealias InMemoryEventPublishedRepository = InMemoryStore
/// ``EventScheduledRepository`` in memory.
public typealias InMemoryEventScheduledRepository = InMemoryStore
/// ``HubRepository`` in memory.
public typealias InMemoryHubRepository = InMemoryStore
/// ``CertificateRepository`` in memory.
public typealias InMemoryCertificateRepository = InMemoryStore
/// ``LogRepository`` in memory.
public typealias InMemoryLogRepository = InMemoryStore
/// ``LockRepository`` in memory.
public typealias InMemoryLockRepository = InMemoryStore
/// ``PublicationRepository`` in memory.
public typealias InMemoryPublicationRepository = InMemoryStore
/// ``SchemaMigrator`` in memory.
public typealias InMemorySchemaMigrator = InMemoryStore

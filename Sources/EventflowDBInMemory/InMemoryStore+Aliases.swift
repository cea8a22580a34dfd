/// ``/EventflowDB/EventRepository`` in memory: an ``InMemoryStore``, which is every repository.
public typealias InMemoryEventRepository = InMemoryStore
/// ``/EventflowDB/EventPublishedRepository`` in memory.
public typealias InMemoryEventPublishedRepository = InMemoryStore
/// ``/EventflowDB/EventScheduledRepository`` in memory.
public typealias InMemoryEventScheduledRepository = InMemoryStore
/// ``/EventflowDB/HubRepository`` in memory.
public typealias InMemoryHubRepository = InMemoryStore
/// ``/EventflowDB/CertificateRepository`` in memory.
public typealias InMemoryCertificateRepository = InMemoryStore
/// ``/EventflowDB/LogRepository`` in memory.
public typealias InMemoryLogRepository = InMemoryStore
/// ``/EventflowDB/LockRepository`` in memory.
public typealias InMemoryLockRepository = InMemoryStore
/// ``/EventflowDB/PublicationRepository`` in memory.
public typealias InMemoryPublicationRepository = InMemoryStore
/// ``/EventflowDB/SchemaMigrator`` in memory.
public typealias InMemorySchemaMigrator = InMemoryStore

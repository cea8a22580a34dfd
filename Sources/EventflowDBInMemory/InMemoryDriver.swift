public import EventflowDB
public import Logging

/// The `"memory"` driver for ``Locator``: a fresh in-memory database per call.
public struct InMemoryDriver: EventflowDriver {
    public let name = "memory"
    private let clock: any EventflowClock

    /// A driver whose databases read time from `clock`.
    public init(clock: any EventflowClock = SystemClock()) {
        self.clock = clock
    }

    public func makeDatabase(config: DriverConfig, logger: Logger) async throws -> EventflowDB {
        EventflowDB.inMemory(clock: clock)
    }
}

extension EventflowDB {
    /// A fresh in-memory database: every repository over one ``InMemoryStore``.
    ///
    /// ```swift
    /// let clock = ManualClock()
    /// let db = EventflowDB.inMemory(clock: clock)
    /// ```
    public static func inMemory(clock: any EventflowClock = SystemClock()) -> EventflowDB {
        inMemory(store: InMemoryStore(clock: clock))
    }

    /// An in-memory database over an existing store.
    public static func inMemory(store: InMemoryStore) -> EventflowDB {
        EventflowDB(
            events: InMemoryEventRepository(store: store), published: InMemoryEventPublishedRepository(store: store),
            scheduled: InMemoryEventScheduledRepository(store: store), hubs: InMemoryHubRepository(store: store),
            certificates: InMemoryCertificateRepository(store: store), logs: InMemoryLogRepository(store: store),
            locks: InMemoryLockRepository(store: store), migrator: InMemorySchemaMigrator(store: store),
            publications: InMemoryPublicationRepository(store: store),
            onClose: { await store.close() })
    }
}

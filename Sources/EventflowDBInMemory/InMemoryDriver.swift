public import EventflowDB

extension EventflowDriver where Self == BackendDriver {
    /// The `"memory"` driver for ``/EventflowDB/Locator``: a fresh in-memory database per call, reading time
    /// from `clock`.
    public static func memory(clock: any EventflowClock = SystemClock()) -> BackendDriver {
        BackendDriver(name: "memory", configKeys: ["driver"]) { _, _ in EventflowDB.inMemory(clock: clock) }
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
            events: store, published: store, scheduled: store, hubs: store, certificates: store, logs: store,
            locks: store, migrator: store, publications: store, follow: store, clock: store.clock,
            onClose: { await store.close() })
    }
}

public import Foundation

/// One of each repository, over one backend: the usual entry point.
///
/// ```swift
/// let db = try await Locator.load(configFile: "config.json", drivers: [.mariaDB()])
///     .locate(EventflowDB.self)
/// try await db.setupTableSchemas()
/// let id = try await db.events.persistEvent(NewEvent(domain: "example", pid: "process-id", name: "event-name"))
/// ```
public final class EventflowDB: Sendable {
    public let events: any EventRepository
    public let published: any EventPublishedRepository
    public let scheduled: any EventScheduledRepository
    public let hubs: any HubRepository
    public let certificates: any CertificateRepository
    public let logs: any LogRepository
    public let locks: any LockRepository
    public let migrator: any SchemaMigrator
    public let publications: any PublicationRepository
    /// A domain's feed for followers, and named consumer positions.
    public let follow: any FollowRepository
    /// The backend's clock: what "now" is for it, and what the library's own waits above the
    /// repositories (a delivery's lease renewals) sleep on; virtual with a ``ManualClock``.
    public let clock: any EventflowClock
    private let onClose: @Sendable () async throws -> Void
    private let pinning: @Sendable (_ body: () async throws -> Void) async throws -> Void

    /// Assembles a facade. Backends do this; tests may too.
    ///
    /// - Parameters:
    ///   - events: The events, their associations and their streams.
    ///   - published: Delivery state of published events.
    ///   - scheduled: Scheduled events and their runs.
    ///   - hubs: The registry of hubs.
    ///   - certificates: TLS certificates.
    ///   - logs: The agent log.
    ///   - locks: Named locks shared by every process on the database.
    ///   - migrator: The schema migrator behind ``setupTableSchemas()``.
    ///   - publications: A spoke's whole publish in one transaction.
    ///   - follow: The feeds of domains for followers; without one, its reads fail with
    ///     ``EventflowDBError/Code/eventFollow``.
    ///   - clock: The backend's clock (``SystemClock`` by default).
    ///   - onClose: What ``close()`` does (drain and close the backend's connections).
    ///   - pinning: What ``withPinnedConnection(_:)`` does around its body; by default it runs the
    ///     body as it is (a backend without connections to pin).
    public init(
        events: any EventRepository, published: any EventPublishedRepository, scheduled: any EventScheduledRepository,
        hubs: any HubRepository, certificates: any CertificateRepository, logs: any LogRepository,
        locks: any LockRepository, migrator: any SchemaMigrator, publications: any PublicationRepository,
        follow: (any FollowRepository)? = nil, clock: any EventflowClock = SystemClock(),
        onClose: @escaping @Sendable () async throws -> Void = {},
        pinning: @escaping @Sendable (_ body: () async throws -> Void) async throws -> Void = { try await $0() }
    ) {
        self.events = events
        self.published = published
        self.scheduled = scheduled
        self.hubs = hubs
        self.certificates = certificates
        self.logs = logs
        self.locks = locks
        self.migrator = migrator
        self.publications = publications
        self.follow = follow ?? UnavailableFollowRepository()
        self.clock = clock
        self.onClose = onClose
        self.pinning = pinning
    }

    /// Applies pending migrations. See ``SchemaMigrator/setupTableSchemas()``.
    @discardableResult
    public func setupTableSchemas() async throws -> [String] {
        try await migrator.setupTableSchemas()
    }

    /// Publishes an event atomically: the event, its cpid and eid associations, its delivery
    /// state and (when `scheduled` is given) its schedule are written all or nothing.
    ///
    /// ```swift
    /// let id = try await db.publish(NewEvent(domain: "orders", pid: "o-1", name: "created"),
    ///                               publisher: "spoke-1", cpids: [EventCpid(domain: "billing", cpid: "inv-1")])
    /// ```
    @discardableResult
    public func publish(
        _ event: NewEvent, publisher: String, consumer: String? = nil, hub: String? = nil, scheduled: Date? = nil,
        cpids: [EventCpid] = [], eids: [String] = []
    ) async throws -> String {
        try await publications.publish(
            Publication(
                event: event, publisher: publisher, consumer: consumer, hub: hub, scheduled: scheduled, cpids: cpids,
                eids: eids))
    }

    /// Publishes a whole ``Publication`` atomically.
    @discardableResult
    public func publish(_ publication: Publication) async throws -> String {
        try await publications.publish(publication)
    }

    /// Runs `body` pinned to one database connection: every operation `body` makes uses that
    /// connection, and `body` runs on the connection's own thread, so no operation hands work
    /// from one thread to another and back. For a task that issues many operations one after
    /// another, such as a hub's consumer loop; Benchmarks/README.md measures what it saves.
    ///
    /// ```swift
    /// try await db.withPinnedConnection {
    ///     for event in incoming { _ = try await db.events.persistEvent(event) }
    /// }
    /// ```
    ///
    /// Call it from nonisolated code (a task of your own, a service's `run()`): code isolated to
    /// an actor keeps running on that actor. The task holds the connection for the whole of
    /// `body`, idle or not, and its other work runs on that thread too. Failures behave as
    /// without pinning (a lost connection's operations go to other connections of the pool).
    /// The in-memory fakes run `body` as is.
    public func withPinnedConnection<T>(_ body: () async throws -> T) async throws -> T {
        var result: T?
        try await pinning { result = try await body() }
        return result!
    }

    /// Drains and closes the backend's connections. Operations after it fail.
    public func close() async throws {
        try await onClose()
    }
}

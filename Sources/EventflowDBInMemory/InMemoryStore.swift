public import EventflowDB
import Foundation

/// The in-memory backend: its tables, and every repository protocol over them, so that deletes
/// cascade and foreign keys hold across repositories, as in MariaDB.
///
/// An actor: every operation is atomic, so claims are won by exactly one caller. One store is
/// every repository (``/EventflowDB/EventRepository``, ``/EventflowDB/HubRepository``, ..., ``/EventflowDB/SchemaMigrator``); the
/// conformances live in a file each, `InMemoryStore+<Protocol>.swift`.
///
/// ```swift
/// let store = InMemoryStore(clock: ManualClock())
/// let events: any EventRepository = store
/// let db = EventflowDB.inMemory(store: store)
/// ```
public actor InMemoryStore {
    /// Where "now" comes from.
    public nonisolated let clock: any EventflowClock

    struct StoredEvent {
        var event: Event
        var seq: UInt64
    }
    struct CpidKey: Hashable { var eventID: String; var domain: String; var cpid: String }
    struct EidKey: Hashable { var eventID: String; var eid: String }
    struct CertificateKey: Hashable { var version: Int; var id: String }
    struct StoredScheduled {
        var eventID: String
        var timestamp: Date
        var scheduled: Date
        var executed: Date?
        var success: Date?
        var failed: Date?
        var attempts = 0
        var maxAttempts: Int?
        var leaseExpires: Date?
        var retryAt: Date?
        var discarded: Date?
    }

    var events: [String: StoredEvent] = [:]
    var eventLogs: [LogKey: [String]] = [:]  // ids of each event log, in insertion order
    /// Every change of the counter is a write of an event: it wakes this store's followers.
    var nextSeq: UInt64 = 1 { didSet { writeSignal.signal() } }
    /// The follow state: granted positions, consumers, writes held open.
    var feed = Feed()
    /// Its waits time out on the store's clock: a follower's poll and a delivery loop's wait
    /// are virtual on a ``/EventflowDB/ManualClock``.
    nonisolated let writeSignal: WriteSignal
    var cpids: Set<CpidKey> = []
    var eids: Set<EidKey> = []
    var published: [String: EventPublished] = [:]
    var scheduled: [String: StoredScheduled] = [:]
    /// Published deliveries whose hub claim was taken by their scheduled run's claim.
    var heldBySchedule: Set<String> = []
    var hubs: [String: Hub] = [:]
    var certificates: [CertificateKey: Certificate] = [:]
    var logs: [LogEntry] = []
    /// The next log line's position (never reused, as the table's counter).
    var nextLogPosition: UInt64 = 1
    var logArchiveDays: [String] = []
    var appliedMigrations: [MigrationStatus.Applied] = []
    var heldLocks: Set<String> = []
    /// Each lock's fencing token: how often it was taken.
    var lockTokens: [String: UInt64] = [:]
    var lockWaiters: [String: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)]] = [:]
    var nextWaiterID: UInt64 = 0
    var isClosed = false

    /// An empty store reading time from `clock`.
    public init(clock: any EventflowClock = SystemClock()) {
        self.clock = clock
        writeSignal = WriteSignal(clock: clock)
    }

    /// Marks the store closed: every later operation fails, as on a closed pool.
    func close() { isClosed = true }

    func ensureOpen(_ code: EventflowDBError.Code) throws {
        if isClosed {
            throw EventflowDBError(
                code, "the database is closed", underlying: DatabaseError(kind: .closed, message: "closed"))
        }
    }

    struct LogKey: Hashable {
        var domain: String
        var pid: String
    }

    static func logKey(_ domain: String, _ pid: String) -> LogKey { LogKey(domain: domain, pid: pid) }

    /// Fails as MariaDB's foreign key on `event_id` does when `eventID` names no event.
    func requireEvent(_ eventID: String, _ code: EventflowDBError.Code, _ message: String) throws {
        guard events[eventID] != nil else { throw EventflowDBError.foreignKey(code, message, column: "event_id") }
    }

    /// Adds the row `make` builds for an existing event, unless the event has one (false), as
    /// `INSERT … ON DUPLICATE KEY UPDATE` does for a table keyed by `event_id`.
    func insertRow<Row>(
        of eventID: String, into table: inout [String: Row], _ code: EventflowDBError.Code, _ what: String,
        _ make: () throws -> Row
    ) throws -> Bool {
        try ensureOpen(code)
        if table[eventID] != nil { return false }
        try requireEvent(eventID, code, "could not persist \(what): no such event")
        table[eventID] = try make()
        return true
    }

    /// Events in log order: oldest first, equal timestamps in insertion order.
    func ordered(_ ids: some Sequence<String>) -> [Event] {
        ids.compactMap { events[$0] }
            .sorted { ($0.event.timestamp, $0.seq) < ($1.event.timestamp, $1.seq) }
            .map(\.event)
    }
}

extension EventflowDBError {
    /// The error MariaDB gives for a duplicate key, for the fakes to give the same.
    static func duplicate(_ code: Code, _ message: String, key: String) -> EventflowDBError {
        EventflowDBError(
            code, message,
            underlying: DatabaseError(
                kind: .duplicateKey, number: 1062, sqlState: "23000", message: "Duplicate entry for key '\(key)'"))
    }

    /// The error MariaDB gives when a referenced row does not exist.
    static func foreignKey(_ code: Code, _ message: String, column: String) -> EventflowDBError {
        EventflowDBError(
            code, message,
            underlying: DatabaseError(
                kind: .foreignKey, number: 1452, sqlState: "23000",
                message: "Cannot add or update a child row: a foreign key constraint fails (\(column))"))
    }
}

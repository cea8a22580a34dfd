public import EventflowDB
import EventflowDBInMemory
public import Foundation

/// A backend the contract runs against: a name, and how to make a fresh, empty, migrated
/// database whose repositories read time from a given clock.
public struct ContractBackend: Sendable, CustomStringConvertible {
    public let name: String
    private let make: @Sendable (any EventflowClock) async throws -> ContractDatabase

    public init(name: String, make: @escaping @Sendable (any EventflowClock) async throws -> ContractDatabase) {
        self.name = name
        self.make = make
    }

    public var description: String { name }

    /// A fresh database whose repositories read time from `clock`, migrated.
    public func makeDatabase(clock: any EventflowClock) async throws -> ContractDatabase {
        try await make(clock)
    }

    /// EventflowDB's in-memory fakes.
    public static let memory = ContractBackend(name: "memory") { clock in
        let store = InMemoryStore(clock: clock)
        let db = EventflowDB.inMemory(store: store)
        try await db.setupTableSchemas()
        return ContractDatabase(db: db, teardown: { try await db.close() }, holdWrite: HeldWrite.holding(in: store))
    }

    /// Runs `body` on a fresh database and tears it down afterwards, also when `body` throws.
    public func withDatabase(
        clock: ManualClock = ManualClock(now: ContractBackend.referenceDate),
        _ body: (EventflowDB, ManualClock) async throws -> Void
    ) async throws {
        let database = try await makeDatabase(clock: clock)
        do {
            try await body(database.db, clock)
        } catch {
            try? await database.teardown()
            throw error
        }
        try await database.teardown()
    }

    /// 2026-03-01T12:00:00.123Z: the time every behaviour starts at.
    public static let referenceDate = Date(timeIntervalSince1970: 1_772_366_400.123)
}

/// A database made for one behaviour, and how to throw it away.
public struct ContractDatabase: Sendable {
    public let db: EventflowDB
    public let teardown: @Sendable () async throws -> Void
    /// Starts a write of events and holds it open (see ``HeldWrite``); nil for a backend that
    /// cannot, whose feed cases then fail.
    public let holdWrite: (@Sendable ([NewEvent]) async throws -> HeldWrite)?

    public init(
        db: EventflowDB, teardown: @escaping @Sendable () async throws -> Void,
        holdWrite: (@Sendable ([NewEvent]) async throws -> HeldWrite)? = nil
    ) {
        self.db = db
        self.teardown = teardown
        self.holdWrite = holdWrite
    }
}

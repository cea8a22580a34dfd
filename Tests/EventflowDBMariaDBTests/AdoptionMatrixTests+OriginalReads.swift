import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

/// A database as a service of a mixed fleet finds it.
enum FleetDatabase: Sendable, CustomStringConvertible {
    /// Made and filled by that original, never migrated.
    case original(OriginalSchema)
    /// Made and filled by that original, then adopted by EventflowDB.
    case adopted(OriginalSchema)
    /// Made by EventflowDB, filled by the newest original's inserts.
    case eventflow

    /// Every database a service of generation `reader` may meet: one its own or a newer original
    /// made, one EventflowDB adopted (from any generation), one EventflowDB made.
    static func met(by reader: OriginalSchema) -> [FleetDatabase] {
        let all = OriginalSchema.allCases
        return all.drop { $0 != reader }.map { .original($0) } + all.map { .adopted($0) } + [.eventflow]
    }

    /// The generation whose inserts wrote its rows.
    var writer: OriginalSchema {
        switch self {
        case .original(let schema), .adopted(let schema): schema
        case .eventflow: .v4_8
        }
    }

    /// Whether `event_cpid` has a `domain` column (as every table after v4.1.0 has, and adoption adds).
    var hasCpidDomain: Bool {
        if case .original(let schema) = self { return schema.hasCpidDomain }
        return true
    }

    /// Whether `event_cpid.domain` has a default, so an insert that names no domain succeeds.
    var cpidDomainHasDefault: Bool {
        if case .original = self { return false }
        return true
    }

    /// The domain the row's association is stored under: its own (`billing`), or, when written
    /// by v4.1.0, the event's (`orders`), which adoption fills in.
    var associationDomain: String { writer.hasCpidDomain ? "billing" : "orders" }

    var description: String {
        switch self {
        case .original(let schema): "made by \(schema)"
        case .adopted(let schema): "made by \(schema), adopted"
        case .eventflow: "made by EventflowDB"
        }
    }
}

extension AdoptionMatrixTests {
    /// What one of the modelled statements of the original does: the rows it returns (by the
    /// column that names them), or the server error it fails with.
    enum Outcome: Equatable, CustomStringConvertible {
        case rows([String])
        case fails(Int)

        var description: String {
            switch self {
            case .rows(let rows): "rows \(rows)"
            case .fails(let number): "error \(number)"
            }
        }
    }

    static let readMatrix: [(OriginalSchema, FleetDatabase)] = OriginalSchema.allCases.flatMap { reader in
        FleetDatabase.met(by: reader).map { (reader, $0) }
    }

    /// What `operation` of a `reader` service returns on `database`: the known truth, failures
    /// included, so that this matrix notices when it changes.
    static func expected(
        _ operation: OriginalRead.Operation, reader: OriginalSchema, on database: FleetDatabase
    ) -> Outcome {
        switch operation {
        case .readEvent, .readEventsByEid, .readEventsByDomainAndEid: .rows(["e1"])
        case .readEventsByDomainAndPid, .readEventsByDomainAndPidBetweenTimestamps: .rows(["e1", "e2", "e3"])
        case .readDistinctPidByDomain: .rows(["order-1"])
        case .readEventEidByEventId: .rows(["customer-42"])
        // The original reads scheduled events still in the future (SPEC §8): e3, not the due e2.
        case .readEventsScheduled: .rows(["e3"])
        case .readOnlineHubs: .rows(["node-hub"])
        case .hasHubQuit: .rows([])
        case .readCertificate: .rows(["ROOT"])
        case .readEventCpidByEventId:
            .rows([reader.hasCpidDomain ? database.associationDomain + "," + "inv-1" : "inv-1"])
        case .readEventsByDomainAndCpid:
            switch reader {
            // v4.1.0 names an unqualified `domain`: once event_cpid has one too, MariaDB cannot
            // tell which (ER_NON_UNIQ_ERROR, "Column 'domain' in WHERE is ambiguous").
            case .v4_1: database.hasCpidDomain ? .fails(1052) : .rows(["e1"])
            // v4.2.1-v4.4.0 join on the event's own domain, so they find an association only
            // when it is stored under its event's domain: on their own databases as on any other.
            case .v4_2: .rows(database.associationDomain == "orders" ? ["e1"] : [])
            case .v4_8: .rows(["e1"])
            }
        }
    }

    /// The value the original binds for `argument`, when a `reader` service reads `database`.
    static func value(
        _ argument: OriginalRead.Argument, reader: OriginalSchema, on database: FleetDatabase
    ) -> MariaDBValue {
        switch argument {
        case .eventID: .string("e1")
        case .domain: .string("orders")
        case .cpidDomain: .string(reader.hasCpidDomain ? database.associationDomain : "orders")
        case .pid: .string("order-1")
        case .cpid: .string("inv-1")
        case .eid: .string("customer-42")
        case .from: .datetime(when.addingTimeInterval(-1))
        case .to: .datetime(when.addingTimeInterval(1))
        case .hubID: .string("node-hub")
        case .certificateID: .string("ROOT")
        }
    }

    /// Runs `read` with bound values, in the order the original binds them, and names its rows
    /// by the column the test compares (sorted: the order is not what this matrix checks).
    static func run(_ read: OriginalRead, _ values: [MariaDBValue], on pool: MariaDBConnectionPool) async -> Outcome {
        do {
            let result = try await pool.withConnection { try await $0.execute(read.sql, values) }
            let columns: [Int] =
                switch read.operation {
                case .readEventCpidByEventId: Array(result.columns.indices)
                case .readEventEidByEventId: [result.columns.firstIndex(of: "eid") ?? -1]
                case .readDistinctPidByDomain: [result.columns.firstIndex(of: "pid") ?? -1]
                case .readEventsScheduled: [result.columns.firstIndex(of: "event_id") ?? -1]
                default: [result.columns.firstIndex(of: "id") ?? -1]
                }
            return .rows(
                try result.rows.map { row in try columns.map { try row.string($0) }.joined(separator: ",") }.sorted())
        } catch let error as DatabaseError {
            return .fails(error.number)
        } catch {
            return .fails(-1)
        }
    }

    /// Makes `database` on a latin1-default database, as the fleet would find it.
    static func make(_ database: FleetDatabase) async throws -> (MariaDBConfiguration, EventflowDB) {
        let configuration = try await Self.database(charset: "latin1")
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        if case .eventflow = database {
            try await db.setupTableSchemas()
        } else {
            try await pool.withConnection { connection in
                for statement in database.writer.statements { try await connection.query(statement) }
            }
        }
        try await Self.writeOriginalRows(database.writer, charset: "latin1", on: pool)
        // One event scheduled in the future: what the original's read returns.
        _ = try await pool.withConnection {
            try await $0.execute(
                OriginalSchema.scheduledInsert,
                [.string("e3"), .datetime(Date(timeIntervalSinceNow: 86_400).truncatedToSeconds)])
        }
        if case .adopted = database { try await db.setupTableSchemas() }
        await pool.close()
        return (configuration, db)
    }

    @Test(
        "each generation's own reads, as modelled, on every database a mixed fleet meets: what works, and what fails how",
        arguments: readMatrix)
    func originalReads(reader: OriginalSchema, database: FleetDatabase) async throws {
        let (configuration, db) = try await Self.make(database)
        let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)

        #expect(reader.reads.contains { $0.operation == .readEventsByDomainAndCpid })
        for read in reader.reads {
            let parameters = read.operation.arguments.map { Self.value($0, reader: reader, on: database) }
            let outcome = await Self.run(read, parameters, on: pool)
            #expect(
                outcome == Self.expected(read.operation, reader: reader, on: database),
                "\(reader) \(read.operation) on a database \(database)")
        }

        // Its own association insert: it names a domain from v4.2 on; v4.1.0's, which names
        // none, needs the default that adoption gives the column (no 1364 "doesn't have a default").
        let insert: [MariaDBValue] =
            reader.hasCpidDomain
            ? [.string("e2"), .string("billing"), .string("inv-2")] : [.string("e2"), .string("inv-2")]
        let inserted: Outcome
        do {
            _ = try await pool.withConnection { try await $0.execute(reader.cpidInsert, insert) }
            inserted = .rows([])
        } catch let error as DatabaseError {
            inserted = .fails(error.number)
        }
        let insertFails = !reader.hasCpidDomain && database.hasCpidDomain && !database.cpidDomainHasDefault
        #expect(inserted == (insertFails ? .fails(1364) : .rows([])), "\(reader) inserts an association")

        await pool.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

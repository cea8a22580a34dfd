public import EventflowDB
import Foundation

/// ``/EventflowDB/FollowRepository`` on MariaDB.
///
/// Follow positions live in `event.follow_seq`, NULL until a sequencing step grants one (see
/// ``FollowSequencer``). A follower's read first asks, in one statement, whether its domain has
/// events after its position and whether any committed event waits for a position; an idle
/// follower costs that one query per poll.
extension MariaDBRepository: FollowRepository {
    public func fetchFollowed(domain: Identifier, after page: Page) async throws -> [FollowedEvent] {
        let probe: MariaDBQuery =
            """
            SELECT (SELECT MAX(follow_seq) FROM event WHERE domain = \(domain)) AS newest, \
            EXISTS (SELECT 1 FROM event WHERE follow_seq IS NULL) AS pending
            """
        let (newest, pending) = try await context.run(
            .eventFollow, "could not read the feed of a domain", retry: .read
        ) { connection in
            try await connection.perform { connection -> (UInt64, Bool) in
                let row = try connection.execute(probe).rows[0]
                // NULL for a domain with no granted event yet.
                let newest: UInt64 = row.values[0] == .null ? 0 : UInt64(try row.int(0))
                return (newest, try row.int(1) == 1)
            }
        }
        if pending { try await FollowSequencer(context: context).grantPending() }
        guard pending || newest > page.after else { return [] }
        return try await context.fetch(
            .eventFollow, "could not read the feed of a domain", FollowedEvent.self,
            """
            SELECT \(unescaped: FollowedEvent.columns) FROM event e
            WHERE e.domain = \(domain) AND e.follow_seq > \(page.after) ORDER BY e.follow_seq LIMIT \(page.limit)
            """)
    }

    public func fetchWriteCount() async -> UInt64 { context.writes.count }

    public func awaitWrite(after count: UInt64, timeout: Duration) async {
        if context.pool.configuration.followBinaryLog {
            context.binlog.startIfNeeded(context, signal: context.writes)
        }
        await context.writes.wait(after: count, timeout: timeout)
    }

    public func fetchConsumers(_ query: ConsumerQuery) async throws -> [ConsumerPosition] {
        let condition: MariaDBQuery
        switch query {
        case .one(let name, let domain): condition = "WHERE c.name = \(name) AND c.domain = \(domain)"
        case .all: condition = ""
        }
        return try await context.fetch(
            .consumerPosition, "could not read consumer positions", ConsumerPosition.self,
            """
            SELECT c.name, c.domain, c.position, \
            (SELECT COUNT(*) FROM event e WHERE e.domain = c.domain AND (e.follow_seq > c.position \
            OR e.follow_seq IS NULL)) AS behind \
            FROM event_consumer c \(condition) ORDER BY c.name, c.domain
            """)
    }

    public func changeConsumer(name: Identifier, domain: Identifier, position: UInt64) async throws {
        try await context.execute(
            .consumerPosition, "could not store a consumer position", retry: .idempotent,
            """
            INSERT INTO event_consumer (name, domain, position, updated) \
            VALUES (\(name), \(domain), \(position), \(context.now())) \
            ON DUPLICATE KEY UPDATE position = VALUES(position), updated = VALUES(updated)
            """)
    }

    public func removeConsumer(name: Identifier, domain: Identifier) async throws -> Bool {
        try await context.changesRows(
            .consumerPosition, "could not delete a consumer position", retry: .idempotent,
            "DELETE FROM event_consumer WHERE name = \(name) AND domain = \(domain)")
    }
}

extension FollowedEvent: MariaDBRowDecodable {
    public static let columns = Event.columns + MariaDBColumns(["follow_seq"]).qualified(by: "e")

    public init(row: MariaDBRowReader) throws {
        let event = try row.decode(Event.self)
        self.init(position: UInt64(try row.int("follow_seq")), event: event)
    }
}

extension ConsumerPosition: MariaDBRowDecodable {
    public static let columns: MariaDBColumns = ["name", "domain", "position", "behind"]

    public init(row: MariaDBRowReader) throws {
        self.init(
            name: try row.string("name"), domain: try row.string("domain"), position: UInt64(try row.int("position")),
            behind: try row.int("behind"))
    }
}

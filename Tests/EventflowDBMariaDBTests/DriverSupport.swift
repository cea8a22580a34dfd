import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Synchronization

/// A pool on a fresh database of its own, dropped after `body`.
func withFreshPool<T>(
    poolSize: Int = 4, acquireTimeout: Duration = .seconds(10),
    _ body: (MariaDBConnectionPool, MariaDBConfiguration) async throws -> T
) async throws -> T {
    var configuration = try await TestServer.makeDatabase(prefix: "ef_driver", poolSize: poolSize)
    configuration.acquireTimeout = acquireTimeout
    let pool = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
    do {
        let result = try await body(pool, configuration)
        await pool.close()
        try await TestServer.dropDatabase(configuration.database)
        return result
    } catch {
        await pool.close()
        try? await TestServer.dropDatabase(configuration.database)
        throw error
    }
}

/// Runs one statement on the admin pool (another session than the pool under test).
@discardableResult
func admin(_ sql: String, _ parameters: [MariaDBValue] = []) async throws -> MariaDBResult {
    try await TestServer.admin.withConnection { try await $0.execute(sql, parameters) }
}

/// How many server sessions use `database`.
func sessions(on database: String) async throws -> Int {
    try await admin("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?", [.string(database)]).rows[0]
        .int(0)
}

/// Expects `body` to throw a ``DatabaseError`` of `kind`, and returns it.
func expectDatabaseError<T>(_ kind: DatabaseError.Kind, _ body: () async throws -> T) async -> DatabaseError? {
    do {
        _ = try await body()
        return nil
    } catch let error as DatabaseError {
        return error.kind == kind ? error : nil
    } catch {
        return nil
    }
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .acquiring) }
    func increment() { count.add(1, ordering: .acquiringAndReleasing) }
}

/// How many server sessions use `database` once those just closed are gone (the server ends a
/// session shortly after the client's quit, not before the client's close returns): polls up to 2 s.
func sessionsAfterClose(on database: String) async throws -> Int {
    var count = try await sessions(on: database)
    for _ in 0..<40 where count > 0 {
        try await Task.sleep(for: .milliseconds(50))
        count = try await sessions(on: database)
    }
    return count
}

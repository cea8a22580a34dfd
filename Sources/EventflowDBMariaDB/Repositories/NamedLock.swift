import EventflowDB
import Foundation

/// `GET_LOCK` on one connection, waited for in slices of at most a second and at most half the
/// connection's read timeout (a single long wait would look like a dead server to the client),
/// short enough that a cancelled wait ends within a second.
enum NamedLock {
    enum Outcome { case acquired, timedOut }

    /// The longest single `GET_LOCK` wait, in seconds, for a connection with `readTimeout`.
    static func slice(readTimeout: Duration) -> Double {
        let seconds = Double(readTimeout.components.seconds) + Double(readTimeout.components.attoseconds) / 1e18
        return min(1, max(0.05, seconds / 2))
    }

    /// Tries to take `name` for up to `timeout` seconds.
    ///
    /// - Parameter scopedToDatabase: when true the lock's name is prefixed with the current
    ///   database's, so the same name in two databases on one server are two locks.
    static func acquire(
        _ name: String, timeout: Double, scopedToDatabase: Bool = false, slice: Double = 1,
        on connection: MariaDBConnection
    ) async throws -> Outcome {
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, timeout) * 1000))
        let lockName: MariaDBQuery = scopedToDatabase ? "CONCAT(DATABASE(), '.', \(name))" : "\(name)"
        while true {
            try Task.checkCancellation()
            let remaining =
                Double((deadline - ContinuousClock.now).components.seconds)
                + Double((deadline - ContinuousClock.now).components.attoseconds) / 1e18
            let wait = min(max(remaining, 0), slice)
            let result = try await connection.execute("SELECT GET_LOCK(\(lockName), \(wait))")
            switch result.rows.first?[0] {
            case .int(1)?, .uint(1)?: return .acquired
            case .int(0)?, .uint(0)?: if remaining <= slice { return .timedOut }
            default: throw DatabaseError(kind: .other, message: "GET_LOCK returned NULL for the lock")
            }
        }
    }

    /// Whether this connection still holds `name`: false once the server no longer knows it as ours.
    static func isHeld(_ name: String, on connection: MariaDBConnection) async throws -> Bool {
        let result = try await connection.execute("SELECT IS_USED_LOCK(\(name)) = CONNECTION_ID()")
        switch result.rows.first?[0] {
        case .int(1)?, .uint(1)?: return true
        default: return false
        }
    }

    /// Releases `name` (taken with the same scope).
    static func release(_ name: String, scopedToDatabase: Bool = false, on connection: MariaDBConnection) async throws {
        let lockName: MariaDBQuery = scopedToDatabase ? "CONCAT(DATABASE(), '.', \(name))" : "\(name)"
        try await connection.execute("SELECT RELEASE_LOCK(\(lockName))")
    }
}

import EventflowDB
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A MariaDB server of a test's own, started by `scripts/test-server.sh`, for tests that must not
/// disturb the shared test server: TLS, and servers killed and restarted on purpose.
public struct ThrowawayServer: Sendable {
    public let directory: String
    public let port: Int
    public let tls: Bool

    /// Starts a server in a new temporary directory on a free-looking port.
    public static func start(tls: Bool = false) throws -> ThrowawayServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-server-\(UUID().uuidString.prefix(8))").path
        let server = ThrowawayServer(directory: directory, port: 34_000 + Int.random(in: 0..<2000), tls: tls)
        try server.start()
        return server
    }

    /// Starts (or restarts, on the same data) the server.
    public func start() throws {
        try Self.script(["start", directory, String(port)] + (tls ? ["tls"] : []))
    }

    /// Kills the server with SIGKILL, as a crash would.
    public func crash() throws {
        try Self.script(["crash", directory])
    }

    /// Stops the server and removes its directory.
    public func stop() {
        try? Self.script(["stop", directory])
    }

    /// The CA that signed the server's certificate (TLS servers only).
    public var caFile: String { directory + "/tls/ca.pem" }
    /// A CA that signed nothing.
    public var wrongCAFile: String { directory + "/tls/wrong-ca.pem" }

    /// A configuration for the `test` user and database.
    public func configuration(poolSize: Int = 4) -> EventflowDBConfiguration {
        EventflowDBConfiguration(
            host: "127.0.0.1", port: port, user: "test", password: "test-password", database: "test", poolSize: poolSize,
            acquireTimeout: .seconds(5), connectTimeout: .seconds(2), readTimeout: .seconds(5), writeTimeout: .seconds(5))
    }

    /// Runs the script and waits for it with `posix_spawn` and `waitpid`; its output is not read
    /// (the server it starts would inherit a pipe and hold it open).
    private static func script(_ arguments: [String]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let argv = ["/bin/bash", root.appendingPathComponent("scripts/test-server.sh").path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw DatabaseError(kind: .other, message: "could not run test-server.sh: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw DatabaseError(kind: .other, message: "test-server.sh \(arguments[0]) failed with status \(status)")
        }
    }
}

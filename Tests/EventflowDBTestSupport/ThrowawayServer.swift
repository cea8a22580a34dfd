import EventflowDB
public import EventflowDBMariaDB
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

    /// Starts a server in a new temporary directory on a free port.
    public static func start(tls: Bool = false) async throws -> ThrowawayServer {
        // The port is free when picked; should something take it before the server binds it,
        // the start fails at once and another port is tried.
        var attempt = 0
        while true {
            attempt += 1
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "eventflow-server-\(UUID().uuidString.prefix(8))"
            ).path
            let server = ThrowawayServer(directory: directory, port: try freePort(), tls: tls)
            do {
                try await server.start()
                return server
            } catch  where attempt < 3 {
                await server.stopAndWait()
            }
        }
    }

    /// Starts (or restarts, on the same data) the server.
    public func start() async throws {
        try await Self.script(["start", directory, String(port)] + (tls ? ["tls"] : []))
    }

    /// Kills the server with SIGKILL, as a crash would.
    public func crash() async throws {
        try await Self.script(["crash", directory])
    }

    /// Stops the server and removes its directory, and returns once it is gone.
    public func stopAndWait() async {
        try? await Self.script(["stop", directory])
    }

    /// Stops the server and removes its directory in the background (for `defer`).
    public func stop() {
        let arguments = ["stop", directory]
        Thread.detachNewThread { try? Self.runScript(arguments) }
    }

    /// A loopback port nobody listens on now: the kernel picks it.
    /// A loopback port nobody listens on now, below Linux's ephemeral range (32768-60999), so
    /// that no client connection of the tests can be given it before the server binds it.
    private static func freePort() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000..<32_000)
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { throw DatabaseError(kind: .other, message: "socket: \(errno)") }
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if bound { return port }
        }
        throw DatabaseError(kind: .other, message: "no free port between 20000 and 32000")
    }

    /// The CA that signed the server's certificate (TLS servers only).
    public var caFile: String { directory + "/tls/ca.pem" }
    /// A CA that signed nothing.
    public var wrongCAFile: String { directory + "/tls/wrong-ca.pem" }

    /// A configuration for the `test` user and database.
    public func configuration(poolSize: Int = 4) -> MariaDBConfiguration {
        MariaDBConfiguration(
            host: "127.0.0.1", port: port, user: "test", password: "test-password", database: "test",
            poolSize: poolSize,
            acquireTimeout: .seconds(5), connectTimeout: .seconds(2), readTimeout: .seconds(5),
            writeTimeout: .seconds(5))
    }

    /// Runs the script on a thread of its own, so that waiting for it (a server start can take
    /// seconds) never blocks Swift's cooperative pool, which every other test shares.
    private static func script(_ arguments: [String]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runScript(arguments) })
            }
        }
    }

    /// Runs the script and waits for it with `posix_spawn` and `waitpid`; its output is not read
    /// (the server it starts would inherit a pipe and hold it open).
    private static func runScript(_ arguments: [String]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardized
        let argv = ["/bin/bash", root.appendingPathComponent("scripts/test-server.sh").path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw DatabaseError(kind: .other, message: "could not run test-server.sh: \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw DatabaseError(kind: .other, message: "test-server.sh \(arguments[0]) failed with status \(status)")
        }
    }
}

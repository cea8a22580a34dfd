import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif
import Testing

/// A TLS-enabled MariaDB started for these tests by `scripts/tls-server.sh`.
private struct TLSServer {
    let directory: String
    let port: Int
    let caFile: String
    let wrongCAFile: String

    static func start() throws -> TLSServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eventflow-tls-\(UUID().uuidString.prefix(8))").path
        let port = 34_000 + Int.random(in: 0..<1000)
        try script(["start", directory, String(port)])
        return TLSServer(directory: directory, port: port, caFile: directory + "/tls/ca.pem", wrongCAFile: directory + "/tls/wrong-ca.pem")
    }

    func stop() {
        try? Self.script(["stop", directory])
    }

    func configuration(caFile: String?) -> EventflowDBConfiguration {
        EventflowDBConfiguration(
            host: "127.0.0.1", port: port, user: "tls", password: "tls-password", database: "mysql", connectTimeout: .seconds(5),
            tls: .init(caFile: caFile))
    }

    /// Runs the script and waits for it with `posix_spawn` and `waitpid`. (Foundation's
    /// `Process.waitUntilExit` did not return here once the script had started a server.)
    private static func script(_ arguments: [String]) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let argv = ["/bin/bash", root.appendingPathComponent("scripts/tls-server.sh").path] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", nil, nil, &cArguments, environ)
        guard spawned == 0 else { throw DatabaseError(kind: .other, message: "could not run tls-server.sh: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw DatabaseError(kind: .other, message: "tls-server.sh \(arguments[0]) failed with status \(status)")
        }
    }
}

@Suite("Driver: TLS", .serialized)
struct TLSTests {
    @Test("TLS verified against the right CA connects; a wrong CA and a server without TLS are refused")
    func verifiedOrNothing() async throws {
        let server = try TLSServer.start()
        defer { server.stop() }

        let connection = try await MariaDBConnection.connect(configuration: server.configuration(caFile: server.caFile), logger: TestServer.logger)
        let cipher = try await connection.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        #expect(try !cipher.rows[0].string(1).isEmpty)
        await connection.close()

        let wrongCA = await expectDatabaseError(.tls) {
            try await MariaDBConnection.connect(configuration: server.configuration(caFile: server.wrongCAFile), logger: TestServer.logger)
        }
        #expect(wrongCA != nil)

        // The project's own server runs without TLS: asking for TLS there must fail, not fall back.
        var plain = TestServer.configuration
        plain.tls = .init(caFile: server.caFile)
        let noTLS: DatabaseError?
        do {
            let connection = try await MariaDBConnection.connect(configuration: plain, logger: TestServer.logger)
            await connection.close()
            noTLS = nil
        } catch let error as DatabaseError {
            noTLS = error
        }
        #expect(noTLS != nil)
        #expect(noTLS?.kind == .tls || noTLS?.kind == .connectionLost)
    }
}

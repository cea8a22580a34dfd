import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("Driver: TLS", .serialized)
struct TLSTests {
    @Test("TLS verified against the right CA connects; a wrong CA and a server without TLS are refused")
    func verifiedOrNothing() async throws {
        let server = try await ThrowawayServer.start(tls: true)
        defer { server.stop() }

        let connection = try await MariaDBConnection.connect(
            configuration: server.tlsConfiguration(caFile: server.caFile), logger: TestServer.logger)
        let cipher = try await connection.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        #expect(try !cipher.rows[0].string(1).isEmpty)
        await connection.close()

        let wrongCA = await expectDatabaseError(.tls) {
            try await MariaDBConnection.connect(
                configuration: server.tlsConfiguration(caFile: server.wrongCAFile), logger: TestServer.logger)
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

extension ThrowawayServer {
    func tlsConfiguration(caFile: String) -> MariaDBConfiguration {
        var configuration = configuration()
        configuration.tls = .init(caFile: caFile)
        return configuration
    }
}

import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Testing

/// Whether a server is a Galera node is asked once per connection (`@@wsrep_on`); a probe that
/// fails must not pass for "a single server".
@Suite("Cluster probe")
struct ClusterProbeTests {
    @Test("a connection whose cluster probe is cut fails instead of passing for a single server's")
    func failedProbeFailsTheConnection() async throws {
        let proxy = try FaultProxy(targetPort: TestServer.configuration.hosts[0].port)
        defer { proxy.close() }
        var configuration = TestServer.configuration
        configuration.hosts = [MariaDBConfiguration.Host(host: "127.0.0.1", port: proxy.port)]
        proxy.arm(.cut, command: .query, containing: "@@wsrep_on")

        let error = await #expect(throws: DatabaseError.self) {
            let connection = try await MariaDBConnection.connect(
                configuration: configuration, logger: TestServer.logger)
            await connection.close()
        }
        #expect(error?.kind == .connectionLost)
        #expect(proxy.faultsInjected == 1)

        // Once the probe is answered, the same server connects as a single server.
        let connection = try await MariaDBConnection.connect(configuration: configuration, logger: TestServer.logger)
        #expect(!connection.isClusterNode)
        await connection.close()
    }
}

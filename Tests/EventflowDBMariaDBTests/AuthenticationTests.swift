import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

@Suite("MariaDB: a refused login")
struct AuthenticationTests {
    @Test(
        "a wrong password is an authentication failure, not a lost connection: tried once, never retried, never shown")
    func wrongPassword() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_auth")
        let proxy = try FaultProxy(targetPort: configuration.port)
        var wrong = configuration
        wrong.port = proxy.port
        wrong.password = "not-the-password-QX7"
        let db = EventflowDB.mariaDB(configuration: wrong, logger: TestServer.logger)
        let error = await expectError(.eventDelete) { try await db.events.deleteEvent(id: "e1") }
        #expect(error?.databaseError?.kind == .authentication)
        #expect(error?.databaseError?.number == 1045)
        #expect(error?.isAuthenticationFailure == true)
        #expect(error?.isConnectionFailure == false)
        #expect(error?.isOutcomeUnknown == false)
        // One login attempt: a refused login is an answer, not a connection to try again.
        #expect(proxy.connectionsAccepted == 1)
        #expect(error.map { !"\($0)".contains("not-the-password-QX7") } == true)
        #expect(error.map { !String(reflecting: $0).contains("not-the-password-QX7") } == true)
        try await db.close()
        proxy.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("MariaDB: certificates under concurrent change")
struct CertificateRaceTests {
    private static func certificate(_ id: String, validity: Date, cert: String) -> Certificate {
        Certificate(
            id: id, validity: validity, cert: cert, key: [1], keyIV: [2], keySalt: [3], keyTag: [4], pass: [5],
            passIV: [6],
            passSalt: [7], passTag: [8])
    }

    @Test("revoking the expired ones leaves alone a fresh certificate swapped in after the expired one was found")
    func freshCertificateSwappedIn() async throws {
        let configuration = try await TestServer.makeDatabase(prefix: "ef_cert")
        let db = EventflowDB.mariaDB(configuration: configuration, logger: TestServer.logger)
        try await db.setupTableSchemas()
        _ = try await db.certificates.persistCertificate(
            Self.certificate("ROOT", validity: Date(timeIntervalSinceNow: -3_600), cert: "old"))

        // Another process rotates the certificate: it locks the id's rows first, so the revoker
        // finds ROOT expired by its plain read and then waits on the lock, until the fresh one is in.
        let other = MariaDBConnectionPool(configuration: configuration, logger: TestServer.logger)
        let locked = AsyncStream<Void>.makeStream()
        let rotate = AsyncStream<Void>.makeStream()
        let rotation = Task {
            try await other.withTransaction { connection in
                _ = try await connection.execute(
                    "SELECT version FROM certificate WHERE id = ? FOR UPDATE", [.string("ROOT")])
                locked.continuation.yield()
                for await _ in rotate.stream { break }
                _ = try await connection.execute(
                    "UPDATE certificate SET version = 1, revoked = ? WHERE version = 0 AND id = ?",
                    [.datetime(Date().truncatedToSeconds), .string("ROOT")])
                _ = try await connection.execute(
                    """
                    INSERT INTO certificate (version, id, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv, pass_salt, pass_tag, validity)
                    VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .string("ROOT"), .string("fresh"), .bytes([1]), .bytes([2]), .bytes([3]), .bytes([4]),
                        .bytes([5]), .bytes([6]), .bytes([7]),
                        .bytes([8]), .datetime(Date(timeIntervalSinceNow: 86_400).truncatedToSeconds),
                    ])
            }
        }
        for await _ in locked.stream { break }
        let revoker = Task { try await db.certificates.revokeCertificatesPastValidityPeriod() }
        try await Task.sleep(for: .milliseconds(500))  // the revoker has read ROOT as expired and waits on the lock
        rotate.continuation.yield()
        try await rotation.value
        let revoked = try await revoker.value

        #expect(revoked == 0, "the expired certificate was already revoked by the rotation; the fresh one must stay")
        #expect(try await db.certificates.readCertificate(id: "ROOT").cert == "fresh")
        await other.close()
        try await db.close()
        try await TestServer.dropDatabase(configuration.database)
    }
}

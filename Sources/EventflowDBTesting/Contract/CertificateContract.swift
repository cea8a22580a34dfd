import EventflowDB
import Foundation
import Testing

extension EventflowDBContract {
    static func certificatePersistAndRead(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let certificate = Fixture.certificate(validity: clock.now().addingTimeInterval(86_400))
            let stored = try await db.certificates.persistCertificate(certificate)
            let second = try await db.certificates.persistCertificate(
                Fixture.certificate(validity: clock.now(), cert: "other"))
            #expect(stored && !second)
            var expected = certificate
            expected.validity = certificate.validity.truncatedToSeconds
            let read = try await db.certificates.readCertificate(id: "ROOT")
            #expect(read == expected)
        }
    }

    static func certificateNotFound(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, _ in
            await expectError(.certificateNotFound) { try await db.certificates.readCertificate(id: "non_existing_id") }
        }
    }

    static func certificateRevokeThenPersist(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            _ = try await db.certificates.persistCertificate(
                Fixture.certificate(validity: clock.now().addingTimeInterval(60)))
            #expect(try await db.certificates.revokeCertificate(id: "ROOT"))
            #expect(try await db.certificates.revokeCertificate(id: "ROOT") == false)
            await expectError(.certificateNotFound) { try await db.certificates.readCertificate(id: "ROOT") }

            #expect(
                try await db.certificates.persistCertificate(
                    Fixture.certificate(validity: clock.now().addingTimeInterval(120), cert: "second")))
            #expect(try await db.certificates.readCertificate(id: "ROOT").cert == "second")
            #expect(try await db.certificates.revokeCertificate(id: "ROOT"))
            #expect(
                try await db.certificates.persistCertificate(
                    Fixture.certificate(validity: clock.now().addingTimeInterval(180), cert: "third")))
            #expect(try await db.certificates.readCertificate(id: "ROOT").cert == "third")
            #expect(try await db.certificates.revokeCertificate(id: "unknown") == false)
        }
    }

    static func certificateRevokeExpired(_ backend: ContractBackend) async throws {
        try await backend.withDatabase { db, clock in
            let now = clock.now()
            _ = try await db.certificates.persistCertificate(
                Fixture.certificate("expired-1", validity: now.addingTimeInterval(-60)))
            _ = try await db.certificates.persistCertificate(
                Fixture.certificate("expired-2", validity: now.addingTimeInterval(-1)))
            _ = try await db.certificates.persistCertificate(
                Fixture.certificate("valid", validity: now.addingTimeInterval(60)))
            #expect(try await db.certificates.revokeCertificatesPastValidityPeriod() == 2)
            #expect(try await db.certificates.revokeCertificatesPastValidityPeriod() == 0)
            await expectError(.certificateNotFound) { try await db.certificates.readCertificate(id: "expired-1") }
            await expectError(.certificateNotFound) { try await db.certificates.readCertificate(id: "expired-2") }
            #expect(try await db.certificates.readCertificate(id: "valid").id == "valid")
            clock.advance(by: 120)
            #expect(try await db.certificates.revokeCertificatesPastValidityPeriod() == 1)
        }
    }
}

extension EventflowDBContract {
    /// Certificates.
    public static let certificate: [ContractCase] = [
        ContractCase(
            "Certificates",
            "a certificate round-trips byte for byte, and a second active one with the same id is refused",
            certificatePersistAndRead),
        ContractCase(
            "Certificates", "reading a certificate that does not exist fails with CERTIFICATE_NOT_FOUND",
            certificateNotFound),
        ContractCase(
            "Certificates", "a revoked certificate is no longer read, and a new one with the same id can be stored",
            certificateRevokeThenPersist),
        ContractCase(
            "Certificates", "revoking past validity revokes exactly the expired active certificates",
            certificateRevokeExpired),
    ]
}

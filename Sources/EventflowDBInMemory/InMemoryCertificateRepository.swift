public import EventflowDB

/// ``CertificateRepository`` in memory, with versions as in the MariaDB table.
extension InMemoryRepository: CertificateRepository {
    @discardableResult
    public func persistCertificate(_ certificate: Validated<Certificate>) async throws -> Bool {
        try await store.persistCertificate(certificate.input)
    }

    public func readCertificate(id: Identifier) async throws -> Certificate {
        try await store.readCertificate(id: id.value)
    }

    @discardableResult
    public func revokeCertificate(id: Identifier) async throws -> Bool {
        try await store.revokeCertificate(id: id.value)
    }

    public func revokeCertificatesPastValidityPeriod() async throws -> Int {
        try await store.revokeCertificatesPastValidityPeriod()
    }
}

public import EventflowDB

/// ``CertificateRepository`` in memory, with versions as in the MariaDB table.
public struct InMemoryCertificateRepository: CertificateRepository {
    public let store: InMemoryStore

    public init(store: InMemoryStore = InMemoryStore()) {
        self.store = store
    }

    @discardableResult
    public func persistCertificate(_ certificate: Certificate) async throws -> Bool {
        try Validator.validate(certificate)
        return try await store.persistCertificate(certificate)
    }

    public func readCertificate(id: String) async throws -> Certificate {
        try Validator.identifier(id, field: "id")
        return try await store.readCertificate(id: id)
    }

    @discardableResult
    public func revokeCertificate(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        return try await store.revokeCertificate(id: id)
    }

    public func revokeCertificatesPastValidityPeriod() async throws -> Int {
        try await store.revokeCertificatesPastValidityPeriod()
    }
}

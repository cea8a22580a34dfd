/// TLS certificates. Each id has at most one active certificate (version 0); revoked ones move
/// to later versions and stay as history.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values (see ``EventRepository``).
public protocol CertificateRepository: Sendable {
    /// Implements ``persistCertificate(_:)-(Certificate)``.
    @discardableResult
    func persistCertificate(_ certificate: Validated<Certificate>) async throws -> Bool
    /// Implements ``readCertificate(id:)-(String)``.
    func readCertificate(id: Identifier) async throws -> Certificate
    /// Implements ``revokeCertificate(id:)-(String)``.
    @discardableResult
    func revokeCertificate(id: Identifier) async throws -> Bool
    /// Revokes every active certificate whose validity has passed. Returns how many.
    func revokeCertificatesPastValidityPeriod() async throws -> Int
}

extension CertificateRepository {
    /// Stores a certificate as the active one for its id. False when an active one exists.
    @discardableResult
    public func persistCertificate(_ certificate: Certificate) async throws -> Bool {
        try await persistCertificate(Validated(certificate))
    }

    /// The active, unrevoked certificate.
    ///
    /// - Throws: ``EventflowDBError/Code/certificateNotFound`` when there is none.
    public func readCertificate(id: String) async throws -> Certificate {
        try await readCertificate(id: Identifier(id, field: "id"))
    }

    /// Revokes the active certificate, so a new one with the same id can be stored. False when
    /// there is no active certificate.
    @discardableResult
    public func revokeCertificate(id: String) async throws -> Bool {
        try await revokeCertificate(id: Identifier(id, field: "id"))
    }
}

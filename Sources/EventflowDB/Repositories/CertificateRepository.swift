/// TLS certificates. Each id has at most one active certificate (version 0); revoked ones move
/// to later versions and stay as history.
///
/// Callers use the extension's methods; a backend implements the requirements, which take
/// checked values and carry names of their own (see ``EventRepository``).
public protocol CertificateRepository: Sendable {
    /// Stores a checked certificate as the active one (version 0) for its id; false when an
    /// active one exists.
    @discardableResult
    func insertCertificate(_ certificate: Validated<Certificate>) async throws -> Bool
    /// The active, unrevoked certificate with this id.
    ///
    /// Throws ``EventflowDBError/Code/certificateNotFound`` when there is none.
    func fetchActiveCertificate(id: Identifier) async throws -> Certificate
    /// Moves the active certificate with this id to the next free version, stamped revoked;
    /// false when there is no active one.
    @discardableResult
    func revokeActiveCertificate(id: Identifier) async throws -> Bool
    /// Revokes every active certificate whose validity has passed. Returns how many.
    func revokeCertificatesPastValidityPeriod() async throws -> Int
}

extension CertificateRepository {
    /// Stores a certificate as the active one for its id. False when an active one exists.
    @discardableResult
    public func persistCertificate(_ certificate: Certificate) async throws -> Bool {
        try await insertCertificate(Validated(certificate))
    }

    /// The active, unrevoked certificate.
    ///
    /// - Throws: ``EventflowDBError/Code/certificateNotFound`` when there is none.
    public func readCertificate(id: String) async throws -> Certificate {
        try await fetchActiveCertificate(id: Identifier(id, field: "id"))
    }

    /// Revokes the active certificate, so a new one with the same id can be stored. False when
    /// there is no active certificate.
    @discardableResult
    public func revokeCertificate(id: String) async throws -> Bool {
        try await revokeActiveCertificate(id: Identifier(id, field: "id"))
    }
}

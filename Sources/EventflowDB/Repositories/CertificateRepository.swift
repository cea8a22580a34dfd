/// TLS certificates. Each id has at most one active certificate (version 0); revoked ones move
/// to later versions and stay as history.
public protocol CertificateRepository: Sendable {
    /// Stores a certificate as the active one for its id. False when an active one exists.
    @discardableResult
    func persistCertificate(_ certificate: Certificate) async throws -> Bool

    /// The active, unrevoked certificate.
    ///
    /// - Throws: ``EventflowDBError/Code/certificateNotFound`` when there is none.
    func readCertificate(id: String) async throws -> Certificate

    /// Revokes the active certificate, so a new one with the same id can be stored. False when
    /// there is no active certificate.
    @discardableResult
    func revokeCertificate(id: String) async throws -> Bool

    /// Revokes every active certificate whose validity has passed. Returns how many.
    func revokeCertificatesPastValidityPeriod() async throws -> Int
}

public import EventflowDB
import Foundation

/// ``/EventflowDB/CertificateRepository`` in memory, with versions as in the MariaDB table.
extension InMemoryStore: CertificateRepository {
    public func insertCertificate(_ certificate: Validated<Certificate>) throws -> Bool {
        try ensureOpen(.certificatePersist)
        let key = CertificateKey(version: 0, id: certificate.id)
        if certificates[key] != nil { return false }
        var stored = certificate.input
        stored.validity = stored.validity.truncatedToSeconds
        stored.revoked = nil
        certificates[key] = stored
        return true
    }

    public func fetchActiveCertificate(id: Identifier) throws -> Certificate {
        try ensureOpen(.certificateRead)
        guard let certificate = certificates[CertificateKey(version: 0, id: id.value)], certificate.revoked == nil
        else {
            throw EventflowDBError(.certificateNotFound, "certificate not found by id")
        }
        return certificate
    }

    public func revokeActiveCertificate(id: Identifier) throws -> Bool {
        try ensureOpen(.certificateRevoke)
        return revoke(id: id.value, at: clock.now())
    }

    public func revokeCertificatesPastValidityPeriod() throws -> Int {
        try ensureOpen(.certificateRevokePastValidity)
        let now = clock.now().truncatedToMilliseconds
        let expired = certificates.filter { $0.key.version == 0 && $0.value.validity < now }.map(\.key.id)
        return expired.filter { revoke(id: $0, at: now) }.count
    }

    /// Moves the active certificate to the next free version, stamped revoked.
    private func revoke(id: String, at now: Date) -> Bool {
        guard var certificate = certificates.removeValue(forKey: CertificateKey(version: 0, id: id)) else {
            return false
        }
        let version = (certificates.keys.filter { $0.id == id }.map(\.version).max() ?? 0) + 1
        certificate.revoked = now.truncatedToSeconds
        certificates[CertificateKey(version: version, id: id)] = certificate
        return true
    }
}

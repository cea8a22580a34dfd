import EventflowDB
import Foundation

extension InMemoryStore {
    func persistHub(_ new: NewHub) throws -> Bool {
        try ensureOpen(.hubPersist)
        if hubs[new.id] != nil { return false }
        hubs[new.id] = Hub(
            id: new.id, timestamp: clock.now().truncatedToSeconds, externalIP: new.externalIP,
            externalPort: new.externalPort,
            internalIP: new.internalIP, internalPort: new.internalPort)
        return true
    }

    func readOnlineHubs() throws -> [Hub] {
        try ensureOpen(.hubsRead)
        return hubs.values.filter { $0.quit == nil }.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }

    func readHubs() throws -> [Hub] {
        try ensureOpen(.hubsRead)
        return hubs.values.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }

    func updateHubToQuit(id: String) throws -> Bool {
        try ensureOpen(.hubUpdateToQuit)
        guard let hub = hubs[id], hub.quit == nil else { return false }
        hubs[id]?.quit = clock.now().truncatedToSeconds
        return true
    }

    func hasHubQuit(id: String) throws -> Bool {
        try ensureOpen(.hubHasQuit)
        return hubs[id]?.quit != nil
    }

    func persistCertificate(_ certificate: Certificate) throws -> Bool {
        try ensureOpen(.certificatePersist)
        let key = CertificateKey(version: 0, id: certificate.id)
        if certificates[key] != nil { return false }
        var stored = certificate
        stored.validity = certificate.validity.truncatedToSeconds
        stored.revoked = nil
        certificates[key] = stored
        return true
    }

    func readCertificate(id: String) throws -> Certificate {
        try ensureOpen(.certificateRead)
        guard let certificate = certificates[CertificateKey(version: 0, id: id)], certificate.revoked == nil else {
            throw EventflowDBError(.certificateNotFound, "certificate not found by id")
        }
        return certificate
    }

    private func revoke(id: String, at now: Date) -> Bool {
        guard var certificate = certificates.removeValue(forKey: CertificateKey(version: 0, id: id)) else {
            return false
        }
        let version = (certificates.keys.filter { $0.id == id }.map(\.version).max() ?? 0) + 1
        certificate.revoked = now.truncatedToSeconds
        certificates[CertificateKey(version: version, id: id)] = certificate
        return true
    }

    func revokeCertificate(id: String) throws -> Bool {
        try ensureOpen(.certificateRevoke)
        return revoke(id: id, at: clock.now())
    }

    func revokeCertificatesPastValidityPeriod() throws -> Int {
        try ensureOpen(.certificateRevokePastValidity)
        let now = clock.now().truncatedToMilliseconds
        let expired = certificates.filter { $0.key.version == 0 && $0.value.validity < now }.map(\.key.id)
        return expired.filter { revoke(id: $0, at: now) }.count
    }
}

public import EventflowDB
import Foundation

/// ``/EventflowDB/CertificateRepository`` on MariaDB. The active certificate is version 0 (partition
/// `p_hot`); revoking moves it to the next free version (partition `p_cold`).
extension MariaDBRepository: CertificateRepository {
    public func insertCertificate(_ certificate: Validated<Certificate>) async throws -> Bool {
        let c = certificate
        return try await context.changesRows(
            .certificatePersist, "could not persist certificate",
            """
            INSERT INTO certificate (version, id, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv,
            pass_salt, pass_tag, validity)
            VALUES (0, \(c.id), \(c.cert), \(c.key), \(c.keyIV), \(c.keySalt), \(c.keyTag), \(c.pass),
            \(c.passIV), \(c.passSalt),
              \(c.passTag), \(c.validity.truncatedToSeconds))
            ON DUPLICATE KEY UPDATE id = id
            """)
    }

    public func fetchActiveCertificate(id: Identifier) async throws -> Certificate {
        let rows = try await context.fetch(
            .certificateRead, "could not read certificate by id", Certificate.self,
            """
            SELECT \(unescaped: Certificate.columns) FROM certificate \
            WHERE version = 0 AND id = \(id) AND revoked IS NULL
            """
        )
        guard let certificate = rows.first else {
            throw EventflowDBError(.certificateNotFound, "certificate not found by id")
        }
        return certificate
    }

    public func revokeActiveCertificate(id: Identifier) async throws -> Bool {
        let now = context.now()
        return try await context.run(.certificateRevoke, "could not revoke certificate by id", transaction: true) {
            connection in
            try await Self.revoke(id: id.value, at: now, on: connection)
        }
    }

    /// Moves the active certificate to the next version, stamped revoked. In the caller's transaction.
    ///
    /// - Parameter onlyExpired: revoke only when the active certificate's validity has passed
    ///   `now`, checked in the same statement that revokes it: a fresh certificate persisted
    ///   after the caller found the id expired is left alone.
    static func revoke(
        id: String, at now: Date, onlyExpired: Bool = false, on connection: MariaDBConnection
    ) async throws -> Bool {
        // Locks every version of the id, so concurrent revokes agree on the next version.
        let versions = try await connection.execute(
            "SELECT version FROM certificate WHERE id = \(id) ORDER BY version DESC FOR UPDATE")
        let numbers = try versions.rows.map { try $0.int(0) }
        guard numbers.contains(0), let highest = numbers.first else { return false }
        var update: MariaDBQuery =
            """
            UPDATE certificate SET version = \(highest + 1), revoked \
            = \(now.truncatedToSeconds) WHERE version = 0 AND id = \(id)
            """
        if onlyExpired { update.append(" AND validity < \(now.truncatedToMilliseconds)") }
        return try await connection.execute(update).affectedRows == 1
    }

    public func revokeCertificatesPastValidityPeriod() async throws -> Int {
        let now = context.now()
        let expired = try await context.fetchStrings(
            .certificateRevokePastValidity, "could not read certificates past validity period",
            "SELECT id FROM certificate WHERE version = 0 AND validity < \(now.truncatedToMilliseconds)")
        var revoked = 0
        for id in expired {
            let done = try await context.run(
                .certificateRevokePastValidity, "could not revoke certificates past validity period", transaction: true
            ) {
                connection in
                try await Self.revoke(id: id, at: now, onlyExpired: true, on: connection)
            }
            if done { revoked += 1 }
        }
        return revoked
    }
}

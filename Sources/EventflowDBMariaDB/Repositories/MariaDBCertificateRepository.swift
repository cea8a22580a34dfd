import EventflowDB
import Foundation

/// ``CertificateRepository`` on MariaDB. The active certificate is version 0 (partition
/// `p_hot`); revoking moves it to the next free version (partition `p_cold`).
public struct MariaDBCertificateRepository: CertificateRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    public func persistCertificate(_ certificate: Certificate) async throws -> Bool {
        try Validator.validate(certificate)
        let result = try await context.execute(
            .certificatePersist, "could not persist certificate",
            """
            INSERT INTO certificate (version, id, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv, pass_salt, pass_tag, validity)
            VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id
            """,
            [
                .string(certificate.id), .string(certificate.cert), .bytes(certificate.key), .bytes(certificate.keyIV),
                .bytes(certificate.keySalt), .bytes(certificate.keyTag), .bytes(certificate.pass), .bytes(certificate.passIV),
                .bytes(certificate.passSalt), .bytes(certificate.passTag), .datetime(certificate.validity.truncatedToSeconds),
            ])
        return result.affectedRows > 0
    }

    public func readCertificate(id: String) async throws -> Certificate {
        try Validator.identifier(id, field: "id")
        let rows = try await context.read(
            .certificateRead, "could not read certificate by id",
            """
            SELECT id, validity, cert, `key`, key_iv, key_salt, key_tag, pass, pass_iv, pass_salt, pass_tag, revoked
            FROM certificate WHERE version = 0 AND id = ? AND revoked IS NULL
            """,
            [.string(id)]
        ) { row in
            Certificate(
                id: try row.string(0), validity: try row.date(1), cert: try row.string(2), key: try row.bytes(3),
                keyIV: try row.bytes(4), keySalt: try row.bytes(5), keyTag: try row.bytes(6), pass: try row.bytes(7),
                passIV: try row.bytes(8), passSalt: try row.bytes(9), passTag: try row.bytes(10), revoked: try row.optionalDate(11))
        }
        guard let certificate = rows.first else { throw EventflowDBError(.certificateNotFound, "certificate not found by id") }
        return certificate
    }

    public func revokeCertificate(id: String) async throws -> Bool {
        try Validator.identifier(id, field: "id")
        let now = context.now()
        return try await context.transaction(.certificateRevoke, "could not revoke certificate by id") { connection in
            try await Self.revoke(id: id, at: now, on: connection)
        }
    }

    /// Moves the active certificate to the next version, stamped revoked. In the caller's transaction.
    ///
    /// - Parameter onlyExpired: revoke only when the active certificate's validity has passed
    ///   `now`, checked in the same statement that revokes it: a fresh certificate persisted
    ///   after the caller found the id expired is left alone.
    static func revoke(id: String, at now: Date, onlyExpired: Bool = false, on connection: MariaDBConnection) async throws -> Bool {
        // Locks every version of the id, so concurrent revokes agree on the next version.
        let versions = try await connection.execute(
            "SELECT version FROM certificate WHERE id = ? ORDER BY version DESC FOR UPDATE", [.string(id)])
        let numbers = try versions.rows.map { try $0.int(0) }
        guard numbers.contains(0), let highest = numbers.first else { return false }
        var parameters: [MariaDBValue] = [.int(Int64(highest + 1)), .datetime(now.truncatedToSeconds), .string(id)]
        if onlyExpired { parameters.append(.datetime(now.truncatedToMilliseconds)) }
        let result = try await connection.execute(
            "UPDATE certificate SET version = ?, revoked = ? WHERE version = 0 AND id = ?" + (onlyExpired ? " AND validity < ?" : ""),
            parameters)
        return result.affectedRows == 1
    }

    public func revokeCertificatesPastValidityPeriod() async throws -> Int {
        let now = context.now()
        let expired = try await context.read(
            .certificateRevokePastValidity, "could not read certificates past validity period",
            "SELECT id FROM certificate WHERE version = 0 AND validity < ?", [.datetime(now.truncatedToMilliseconds)]
        ) { try $0.string(0) }
        var revoked = 0
        for id in expired {
            let done = try await context.transaction(.certificateRevokePastValidity, "could not revoke certificates past validity period") {
                connection in
                try await Self.revoke(id: id, at: now, onlyExpired: true, on: connection)
            }
            if done { revoked += 1 }
        }
        return revoked
    }
}

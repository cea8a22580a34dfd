public import Foundation

/// A TLS certificate with its encrypted key and passphrase, as hubs keep them.
///
/// Binary fields round-trip byte for byte. `key` and `pass` hold up to 65,535 bytes; the ivs,
/// salts and tags up to 16 bytes each.
public struct Certificate: Sendable, Equatable, Codable {
    public var id: String
    /// Until when it is valid (second precision, UTC).
    public var validity: Date
    /// The certificate (PEM text, ASCII).
    public var cert: String
    public var key: [UInt8]
    public var keyIV: [UInt8]
    public var keySalt: [UInt8]
    public var keyTag: [UInt8]
    public var pass: [UInt8]
    public var passIV: [UInt8]
    public var passSalt: [UInt8]
    public var passTag: [UInt8]
    /// When it was revoked; always nil on a certificate read with ``CertificateRepository/readCertificate(id:)``.
    public var revoked: Date?

    public init(
        id: String, validity: Date, cert: String, key: [UInt8], keyIV: [UInt8], keySalt: [UInt8], keyTag: [UInt8],
        pass: [UInt8], passIV: [UInt8], passSalt: [UInt8], passTag: [UInt8], revoked: Date? = nil
    ) {
        self.id = id
        self.validity = validity
        self.cert = cert
        self.key = key
        self.keyIV = keyIV
        self.keySalt = keySalt
        self.keyTag = keyTag
        self.pass = pass
        self.passIV = passIV
        self.passSalt = passSalt
        self.passTag = passTag
        self.revoked = revoked
    }
}

extension Certificate: CustomStringConvertible {
    /// The id, validity and sizes only: never the key or pass material.
    public var description: String {
        let revokedAt = revoked.map { "\($0)" } ?? "no"
        return
            "Certificate(id: \(id), validity: \(validity), key: \(key.count) bytes, pass: \(pass.count) bytes, "
            + "revoked: \(revokedAt))"
    }
}

import EventflowDB
import Foundation

/// Small builders the contract tests share.
enum Fixture {
    static func event(
        id: String? = nil, domain: String = "domain1", pid: String = "pid1", name: String = "created",
        rid: String? = nil, timestamp: Date? = nil, data: JSONValue = ["key": "value"]
    ) -> NewEvent {
        NewEvent(id: id, timestamp: timestamp, domain: domain, rid: rid, pid: pid, name: name, data: data)
    }

    static func hub(_ id: String = "hub-1", ip: String = "127.0.0.1", port: Int = 50001) -> NewHub {
        NewHub(id: id, externalIP: ip, externalPort: port, internalIP: ip, internalPort: port)
    }

    static func certificate(
        _ id: String = "ROOT", validity: Date, cert: String = "-----BEGIN CERTIFICATE-----"
    ) -> Certificate {
        Certificate(
            id: id, validity: validity, cert: cert, key: Array(0...255), keyIV: Array(repeating: 0, count: 16),
            keySalt: Array(240...255), keyTag: [0x00, 0xFF, 0x7F, 0x80],
            pass: Array("encrypted_passphrase".utf8) + [0, 0],
            passIV: [1, 2, 3], passSalt: [0xFF], passTag: [])
    }
}

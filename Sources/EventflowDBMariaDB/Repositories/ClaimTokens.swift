import EventflowDB

/// The claim tokens of this process's claims whose outcome stayed unknown.
///
/// A claim writes a random token with the row it claims. When a call ends without learning
/// whether its claim committed, its token is kept here under the claim's key (table, event,
/// claimant); the same caller's next claim of the same event takes it over, and so recognises
/// the earlier win when it reads the token back. A token is handed to one later call only.
final class ClaimTokens: Sendable {
    private let pending = LockedState<[String: String]>([:])

    /// A new random token: 32 lowercase hex digits (128 bits).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for _ in 0..<2 {
            var random = generator.next() as UInt64
            for _ in 0..<16 {
                bytes.append(digits[Int(random & 0xF)])
                random >>= 4
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The token left by an earlier call with an unknown outcome, removed from the registry.
    func take(_ key: String) -> String? {
        pending.withLock { $0.removeValue(forKey: key) }
    }

    /// Keeps `token` for the next call with the same key.
    func keep(_ token: String, for key: String) {
        pending.withLock { $0[key] = token }
    }
}

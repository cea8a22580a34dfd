public import Foundation

/// Generates event ids: unique across processes and ordered by time.
///
/// An id is the milliseconds since 1970 in base 36, padded to 9 characters (so ids sort by time
/// as text until the year 5188), a dash, and 16 random base-36 characters (~82 bits), like the
/// original library's `Date.now().toString(36) + '-' + random`. 26 characters in all.
public enum EventID {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// A new id for an event happening at `date`.
    public static func generate(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: 26)
        // Clamped so that no clock value (NaN, far past or future) can trap.
        let raw = (date.timeIntervalSince1970 * 1000).rounded(.down)
        var milliseconds = raw.isNaN || raw < 0 ? 0 : raw >= 1.8e19 ? UInt64.max : UInt64(raw)
        for position in stride(from: 8, through: 0, by: -1) {
            bytes[position] = alphabet[Int(milliseconds % 36)]
            milliseconds /= 36
        }
        bytes[9] = UInt8(ascii: "-")
        // 16 base-36 digits from two 64-bit draws (36^8 < 2^42, so each draw gives 8 digits evenly enough).
        for half in 0..<2 {
            var random = generator.next() as UInt64
            for position in (10 + half * 8)..<(18 + half * 8) {
                bytes[position] = alphabet[Int(random % 36)]
                random /= 36
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

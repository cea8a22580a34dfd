/// One migration: its version, name and SQL statements, embedded in the binary.
public struct MigrationFile: Sendable, Equatable {
    /// The order in which it applies, from 1.
    public let version: Int
    /// The file's name without its `V0001__` prefix and `.sql` suffix.
    public let name: String
    /// The whole file.
    public let sql: String
    /// A checksum of the file (64-bit FNV-1a, hex), to tell when an applied file changed.
    public let checksum: String

    init(version: Int, name: String, bytes: [UInt8]) {
        self.version = version
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        self.checksum = String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The file's name as it is in `Migrations/`.
    public var fileName: String {
        let number = String(version)
        return "V" + String(repeating: "0", count: max(0, 4 - number.count)) + number + "__" + name + ".sql"
    }

    /// The statements of the file, in order: the text split at each `;` that ends a line, with
    /// comment lines dropped.
    public var statements: [String] {
        var statements: [String] = []
        var current: [Substring] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: " \t\r")
            if trimmed.hasPrefix("--") || (trimmed.isEmpty && current.isEmpty) { continue }
            current.append(line)
            if trimmed.hasSuffix(";") {
                var statement = current.joined(separator: "\n").trimmingCharacters(in: " \t\r\n")
                statement.removeLast()
                statements.append(statement)
                current = []
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: " \t\r\n")
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}

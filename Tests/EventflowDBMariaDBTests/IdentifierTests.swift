import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import Foundation
import Testing

@Suite("Driver: names in SQL text are checked and backquoted")
struct IdentifierTests {
    /// Names no statement may carry: a backquote (which would end the quoting), a space, a dot,
    /// a statement separator, a letter outside ASCII, nothing, and one character too many.
    static let refused = [
        "", "bad`name", "two words", "log.p_hot", "p;DROP", "naïve", String(repeating: "a", count: 65),
    ]

    @Test("a name is written backquoted, alone or in a list, and binds nothing")
    func namesAreQuoted() throws {
        let drop: MariaDBQuery = try "ALTER TABLE log DROP PARTITION \(identifier: "p_cold_20261205")"
        #expect(drop.sql == "ALTER TABLE log DROP PARTITION `p_cold_20261205`")
        #expect(drop.binds.isEmpty)
        let names = try ["p20261204", "p20261205"].map { name throws(EventflowDBError) in try MariaDBIdentifier(name) }
        let list: MariaDBQuery = "ALTER TABLE log DROP PARTITION \(identifiers: names)"
        #expect(list.sql == "ALTER TABLE log DROP PARTITION `p20261204`, `p20261205`")
        let longest = try MariaDBIdentifier(String(repeating: "a", count: MariaDBIdentifier.maximumLength))
        #expect(longest.quoted.count == MariaDBIdentifier.maximumLength + 2)
        let literal: MariaDBQuery = "SELECT TO_DAYS(\(literal: 20_261_205))"
        #expect(literal.sql == "SELECT TO_DAYS(20261205)" && literal.binds.isEmpty)
    }

    @Test("a day written as digits (the log archive's partition bound) is the same day as its date")
    func dayDigitsAreTheDate() async throws {
        let days = try await admin("SELECT TO_DAYS(20261205), TO_DAYS('2026-12-05'), TO_DAYS(20240229)").rows[0]
        #expect(try days.int(0) == days.int(1))
        #expect(try days.int(2) == days.int(1) - 1010)
    }

    @Test("a bad name is refused as invalid input before any statement exists", arguments: refused)
    func badNamesAreRefused(name: String) {
        let error = #expect(throws: EventflowDBError.self) { try MariaDBIdentifier(name) }
        #expect(error?.code == .invalidInput)
        let inline = #expect(throws: EventflowDBError.self) {
            _ = try "DROP TABLE \(identifier: name)" as MariaDBQuery
        }
        #expect(inline?.code == .invalidInput)
        #expect(!MariaDBIdentifier.isValid(name))
    }

    @Test("DDL with a bad name throws invalid input and writes nothing to the database")
    func badNamesWriteNothing() async throws {
        try await withFreshPool { pool, configuration in
            for name in Self.refused {
                let error = await #expect(throws: EventflowDBError.self) {
                    try await pool.withConnection { connection in
                        try await connection.execute(try "CREATE TABLE \(identifier: name) (id INT PRIMARY KEY)")
                    }
                }
                #expect(error?.code == .invalidInput)
            }
            // A good name through the same path does create its table: the check is what refused.
            try await pool.withConnection { connection in
                try await connection.execute(try "CREATE TABLE \(identifier: "good_name") (id INT PRIMARY KEY)")
            }
            let tables = try await admin(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
                [.string(configuration.database)]
            ).rows.map { try $0.string(0) }
            #expect(tables == ["good_name"])
        }
    }
}

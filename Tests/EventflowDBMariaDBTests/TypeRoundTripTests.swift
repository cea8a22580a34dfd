import EventflowDB
import EventflowDBMariaDB
import EventflowDBTestSupport
import EventflowDBTesting
import Foundation
import Testing

@Suite("Driver: values round-trip through prepared statements")
struct TypeRoundTripTests {
    private static let table = """
        CREATE TABLE t (
          id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
          name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
          body TEXT CHARACTER SET utf8mb4 NULL,
          doc JSON NULL,
          at DATETIME NULL,
          at_ms DATETIME(3) NULL,
          blob_value BLOB NULL,
          small VARBINARY(16) NULL,
          number INT UNSIGNED NULL,
          port SMALLINT UNSIGNED NULL
        )
        """

    private static let insert =
        "INSERT INTO t (name, body, doc, at, at_ms, blob_value, small, number, port) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    private static let select = "SELECT name, body, doc, at, at_ms, blob_value, small, number, port FROM t WHERE id = ?"

    @Test("every column type the schema uses, with extremes, reads back exactly")
    func everyType() async throws {
        try await withFreshPool { pool, _ in
            try await pool.withConnection { connection in
                try await connection.query(Self.table)
                let millis = Date(timeIntervalSince1970: 1_772_366_400.123)
                let rows: [[MariaDBValue]] = [
                    [
                        .string(String(repeating: "a", count: 64)),
                        .string("héllo 😀 \u{10FFFF}" + String(repeating: "é", count: 600)),
                        .string(#"{"a":[1,2.5,"x"],"b":null}"#), .datetime(millis.truncatedToSeconds),
                        .datetime(millis),
                        .bytes(Array(0...255) + Array(0...255)), .bytes(Array(repeating: 0xFF, count: 16)),
                        .uint(4_294_967_295), .int(65535),
                    ],
                    [
                        .string(""), .string(""), .string("{}"),
                        .datetime(Date(timeIntervalSince1970: -30_610_224_000)),
                        .datetime(Date(timeIntervalSince1970: 253_402_300_799.999)), .bytes([]), .bytes([0x00]),
                        .int(0), .int(0),
                    ],
                    [.null, .null, .null, .null, .null, .null, .null, .null, .null],
                    [
                        .text(Array("x".utf8)), .text(Array("héllo 😀".utf8)), .text(Array(#"{"k":"é"}"#.utf8)),
                        .null, .null, .null, .null, .null, .null,
                    ],
                ]
                for (index, row) in rows.enumerated() {
                    let inserted = try await connection.execute(Self.insert, row)
                    #expect(inserted.affectedRows == 1)
                    #expect(inserted.lastInsertID == UInt64(index + 1))
                    let read = try await connection.execute(Self.select, [.int(Int64(index + 1))])
                    let values = try #require(read.rows.first)
                    #expect(
                        read.columns == ["name", "body", "doc", "at", "at_ms", "blob_value", "small", "number", "port"])
                    for column in 0..<row.count {
                        switch row[column] {
                        case .null: #expect(values[column] == .null, "column \(column)")
                        case .string(let text): #expect(try values.string(column) == text, "column \(column)")
                        case .bytes(let bytes): #expect(try values.bytes(column) == bytes, "column \(column)")
                        case .text(let bytes):
                            #expect(
                                try values.string(column) == String(decoding: bytes, as: UTF8.self), "column \(column)")
                        case .datetime(let date):
                            #expect(try values.date(column) == date.truncatedToMilliseconds, "column \(column)")
                        case .int(let number): #expect(try values.int(column) == Int(number), "column \(column)")
                        case .uint(let number): #expect(try values.int(column) == Int(number), "column \(column)")
                        case .double: Issue.record("no double column")
                        }
                    }
                }
                let json = try await connection.execute(Self.select, [.int(1)])
                #expect(try json.rows[0].json(2) == ["a": [1, 2.5, "x"], "b": nil])
            }
        }
    }

    @Test("a string that does not fit its column is refused, not truncated")
    func strictLengths() async throws {
        try await withFreshPool { pool, _ in
            try await pool.withConnection { connection in
                try await connection.query(Self.table)
                let tooLong: [MariaDBValue] =
                    [.string(String(repeating: "a", count: 65))] + Array(repeating: .null, count: 8)
                await #expect(throws: DatabaseError.self) { try await connection.execute(Self.insert, tooLong) }
            }
        }
    }

    @Test(
        "a date no DATETIME holds is refused as invalid input, one row or a batch, and the connection stays usable",
        arguments: [
            -1e11, -30_610_224_000.001, 253_402_300_800, 1e300, -.infinity, .infinity, .nan,
            Date.distantPast.timeIntervalSince1970,
        ])
    func unrepresentableDates(secondsSince1970: Double) async throws {
        try await withFreshPool { pool, _ in
            try await pool.withConnection { connection in
                try await connection.query(Self.table)
                let date = MariaDBValue.datetime(Date(timeIntervalSince1970: secondsSince1970))
                await expectError(.invalidInput, field: "date") {
                    try await connection.execute("SELECT ? IS NULL", [date])
                }
                await expectError(.invalidInput, field: "date") {
                    try await connection.executeBatch([
                        "INSERT INTO t (at) VALUES (\(date))", "INSERT INTO t (at) VALUES (\(date))",
                    ])
                }
                let edges = try await connection.execute(
                    "SELECT ?, ?",
                    [
                        .datetime(Date(timeIntervalSince1970: -30_610_224_000)),
                        .datetime(Date(timeIntervalSince1970: 253_402_300_799.999)),
                    ])
                #expect(try edges.rows[0].date(0) == Date(timeIntervalSince1970: -30_610_224_000))
                #expect(try edges.rows[0].date(1) == Date(timeIntervalSince1970: 253_402_300_799.999))
            }
        }
    }

    @Test("affected rows count changed rows only")
    func affectedRows() async throws {
        try await withFreshPool { pool, _ in
            try await pool.withConnection { connection in
                try await connection.query("CREATE TABLE c (id INT PRIMARY KEY, v INT)")
                #expect(
                    try await connection.execute(
                        "INSERT INTO c VALUES (?, ?), (?, ?)", [.int(1), .int(0), .int(2), .int(0)]
                    ).affectedRows == 2)
                #expect(
                    try await connection.execute("UPDATE c SET v = ? WHERE v = ?", [.int(1), .int(0)]).affectedRows == 2
                )
                #expect(
                    try await connection.execute("UPDATE c SET v = ? WHERE v = ?", [.int(1), .int(1)]).affectedRows == 0
                )
                #expect(try await connection.execute("DELETE FROM c WHERE id = ?", [.int(3)]).affectedRows == 0)
            }
        }
    }
}

@Suite("Driver: statement cache")
struct StatementCacheTests {
    @Test("a connection keeps at most 64 prepared statements, and evicted ones still run when asked again")
    func bounded() async throws {
        try await withFreshPool(poolSize: 1) { pool, _ in
            try await pool.withConnection { connection in
                for count in 1...100 {
                    let placeholders = Array(repeating: "?", count: count).joined(separator: ", ")
                    let result = try await connection.execute(
                        "SELECT COUNT(*) FROM (SELECT 1 AS x) t WHERE x IN (" + placeholders + ")",
                        Array(repeating: .int(1), count: count))
                    #expect(try result.rows[0].int(0) == 1)
                }
                #expect(await connection.cachedStatementCount == MariaDBConnection.statementCacheLimit)
                #expect(
                    try await connection.execute("SELECT COUNT(*) FROM (SELECT 1 AS x) t WHERE x IN (?)", [.int(1)])
                        .rows[0].int(0) == 1)
            }
        }
    }
}

import EventflowDBMariaDB
import Foundation
import Testing

@Suite("MariaDB queries: SQL and binds in one literal")
struct MariaDBQueryTests {
    @Test("an interpolated value becomes a placeholder and a bind, never SQL text")
    func valuesAreBound() {
        let hostile = "x' OR '1'='1"
        let rid: String? = nil
        let when = Date(timeIntervalSince1970: 1_767_323_045)
        let query: MariaDBQuery =
            "SELECT id FROM event WHERE domain = \(hostile) AND rid <=> \(rid) AND timestamp < \(when) LIMIT \(10)"
        #expect(query.sql == "SELECT id FROM event WHERE domain = ? AND rid <=> ? AND timestamp < ? LIMIT ?")
        #expect(query.binds == [.string(hostile), .null, .datetime(when), .int(10)])
        #expect(!query.sql.contains("OR"))
    }

    @Test("lists, nested queries and fixed names compose; the placeholders always match the binds")
    func composition() {
        let names = ["a", "b", "c"]
        var query: MariaDBQuery = "SELECT \(unescaped: "e.id, e.name") FROM event e WHERE e.name IN (\(list: names))"
        query.append(" AND e.pid = \("p")")
        let outer: MariaDBQuery = "\(query) LIMIT \(5)"
        #expect(outer.sql == "SELECT e.id, e.name FROM event e WHERE e.name IN (?, ?, ?) AND e.pid = ? LIMIT ?")
        #expect(outer.binds == [.string("a"), .string("b"), .string("c"), .string("p"), .int(5)])
        #expect(outer.sql.filter { $0 == "?" }.count == outer.binds.count)
        let bytes: [UInt8] = [0, 255]
        let binary: MariaDBQuery = "INSERT INTO t VALUES (\(bytes))"
        #expect(binary.binds == [.bytes([0, 255])])
    }
}

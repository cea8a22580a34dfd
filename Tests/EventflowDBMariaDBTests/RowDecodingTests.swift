import EventflowDB
import EventflowDBMariaDB
import Foundation
import Testing

/// A model's column list and its decoder cannot drift apart: the reader checks each decode.
/// No server needed.
@Suite struct RowDecodingTests {
    /// Every model the repositories read.
    static let models = [
        ModelType(Event.self), ModelType(EventCpid.self), ModelType(EventPublished.self),
        ModelType(ScheduledEvent.self), ModelType(Hub.self), ModelType(Certificate.self),
        ModelType(PendingDelivery.self), ModelType(LogEntry.self),
    ]

    @Test(arguments: models)
    func everyModelReadsEachOfItsColumnsOnceInOrder(_ model: ModelType) throws {
        try model.check()
    }

    @Test func aJoinedModelSelectsItsPartsListsWithTheirAliases() {
        #expect(PendingDelivery.columns.count == Event.columns.count + EventPublished.columns.count)
        #expect(PendingDelivery.columns.sql.hasPrefix("e.id, e.timestamp"))
        #expect(PendingDelivery.columns.sql.hasSuffix("p.orphan, p.attempts, p.lease_until, p.retry_at"))
        #expect(EventPublished.columns.sql.hasPrefix("event_id, published"))
    }

    @Test func aQueryInterpolatesTheListAsItsSelectText() {
        let query: MariaDBQuery = "SELECT \(unescaped: Toy.columns) FROM toy WHERE a = \(1)"
        #expect(query.sql == "SELECT a, b, c FROM toy WHERE a = ?")
    }

    @Test func aDecoderReadsARowByName() throws {
        let toys = try Toy.decode([MariaDBRow(values: [.int(1), .string("two"), .null])])
        #expect(toys == [Toy(a: 1, b: "two", c: nil)])
    }

    @Test func aColumnNotInTheListFailsTheDecode() throws {
        try expectRowDecodingError { try MariaDBRowReader.checkColumns(of: ReadsAnExtraColumn.self) }
        try expectRowDecodingError { _ = try ReadsAnExtraColumn.decode([Self.toyRow]) }
    }

    @Test func aColumnLeftUnreadFailsTheDecode() throws {
        try expectRowDecodingError { try MariaDBRowReader.checkColumns(of: LeavesAColumnUnread.self) }
        try expectRowDecodingError { _ = try LeavesAColumnUnread.decode([Self.toyRow]) }
    }

    @Test func aColumnReadTwiceOrOutOfOrderFailsTheDecode() throws {
        try expectRowDecodingError { try MariaDBRowReader.checkColumns(of: ReadsOutOfOrder.self) }
        try expectRowDecodingError { _ = try ReadsOutOfOrder.decode([Self.toyRow]) }
        try expectRowDecodingError { try MariaDBRowReader.checkColumns(of: ReadsTwice.self) }
    }

    @Test func aRowWithAnotherNumberOfColumnsFailsTheDecode() throws {
        try expectRowDecodingError { _ = try Toy.decode([MariaDBRow(values: [.int(1), .string("two")])]) }
    }

    @Test func aColumnOfAnotherTypeFailsTheDecode() throws {
        let textWhereAnIntegerBelongs = MariaDBRow(values: [.string("one"), .string("two"), .null])
        try expectRowDecodingError { _ = try Toy.decode([textWhereAnIntegerBelongs]) }
    }

    @Test func aJoinedModelWhoseListLacksAPartFailsTheDecode() throws {
        try expectRowDecodingError { try MariaDBRowReader.checkColumns(of: JoinsTheWrongPart.self) }
    }

    static let toyRow = MariaDBRow(values: [.int(1), .string("two"), .null])

    private func expectRowDecodingError(_ body: () throws -> Void) throws {
        let error = try #require(throws: DatabaseError.self, performing: body)
        #expect(error.kind == .rowDecoding)
    }
}

/// A model type as a test argument, named after it.
struct ModelType: CustomTestStringConvertible, Sendable {
    let testDescription: String
    let check: @Sendable () throws -> Void
    init<T: MariaDBRowDecodable>(_ type: T.Type) {
        testDescription = "\(type)"
        check = { try MariaDBRowReader.checkColumns(of: type) }
    }
}

private struct Toy: MariaDBRowDecodable, Equatable {
    var a: Int
    var b: String
    var c: String?
    static let columns: MariaDBColumns = ["a", "b", "c"]
    init(a: Int, b: String, c: String?) { (self.a, self.b, self.c) = (a, b, c) }
    init(row: MariaDBRowReader) throws {
        self.init(a: try row.int("a"), b: try row.string("b"), c: try row.optionalString("c"))
    }
}

private struct ReadsAnExtraColumn: MariaDBRowDecodable {
    static let columns: MariaDBColumns = ["a", "b", "c"]
    init(row: MariaDBRowReader) throws {
        _ = (try row.int("a"), try row.string("b"), try row.optionalString("c"), try row.string("d"))
    }
}

private struct LeavesAColumnUnread: MariaDBRowDecodable {
    static let columns: MariaDBColumns = ["a", "b", "c"]
    init(row: MariaDBRowReader) throws {
        _ = (try row.int("a"), try row.string("b"))
    }
}

private struct ReadsOutOfOrder: MariaDBRowDecodable {
    static let columns: MariaDBColumns = ["a", "b", "c"]
    init(row: MariaDBRowReader) throws {
        _ = (try row.string("b"), try row.int("a"), try row.optionalString("c"))
    }
}

private struct ReadsTwice: MariaDBRowDecodable {
    static let columns: MariaDBColumns = ["a", "b", "c"]
    init(row: MariaDBRowReader) throws {
        _ = (try row.int("a"), try row.int("a"), try row.string("b"), try row.optionalString("c"))
    }
}

private struct JoinsTheWrongPart: MariaDBRowDecodable {
    static let columns = Toy.columns + EventCpid.columns
    init(row: MariaDBRowReader) throws {
        _ = (try row.decode(Toy.self), try row.decode(Hub.self))
    }
}

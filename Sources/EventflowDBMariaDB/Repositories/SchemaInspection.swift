import EventflowDB

/// What the migrator reads from the live schema (information_schema) before it changes
/// anything: which generation of the schema it is, and whether converting character sets
/// would mangle or merge existing rows.
enum SchemaInspection {
    /// Columns that hold ids and names: ascii_bin after the migration `ascii_identifiers`.
    static let identifierColumns: [(table: String, column: String)] = [
        ("hub", "id"), ("hub", "external_ip"), ("hub", "internal_ip"),
        ("event", "id"), ("event", "domain"), ("event", "rid"), ("event", "pid"), ("event", "name"),
        ("event_cpid", "event_id"), ("event_cpid", "domain"), ("event_cpid", "cpid"),
        ("event_eid", "event_id"), ("event_eid", "eid"),
        ("event_published", "event_id"), ("event_published", "publisher"), ("event_published", "consumer"),
        ("event_published", "hub"),
        ("event_scheduled", "event_id"),
        ("certificate", "id"),
        ("log", "agent"),
    ]
    /// Columns of Unicode text: utf8mb4_bin after the migration `unicode_text`.
    static let unicodeColumns: [(table: String, column: String)] = [("log", "message"), ("certificate", "cert")]

    /// The migration whose preconditions ``checkCharacterSetConversion(_:on:)`` checks.
    static let identifierMigration = 6
    /// The migration that makes text Unicode.
    static let unicodeMigration = 7

    /// One column as information_schema describes it.
    struct Column: Hashable {
        let table: String
        let column: String
        let collation: String?
    }

    /// The schema's tables, as the original library and EventflowDB name them.
    static let tables = [
        "certificate", "event", "event_cpid", "event_eid", "event_published", "event_scheduled", "hub", "log",
    ]

    /// Every column of the schema's tables in the connection's database.
    ///
    /// The database and table names are given as values, never as `DATABASE()` alone: with no
    /// constant to look up, MariaDB opens every table of every database for information_schema,
    /// including the `#sql-alter-…` files of another session's running `ALTER TABLE`, and 10.11
    /// was seen to crash on them (signal 11) while tests migrated databases side by side.
    static func columns(on connection: MariaDBConnection) async throws -> [Column] {
        let database = try await currentDatabase(on: connection)
        let result = try await connection.execute(
            """
            SELECT TABLE_NAME, COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = \(database) AND TABLE_NAME IN (\(list: tables))
            """)
        return try result.rows.map {
            Column(table: try $0.string(0), column: try $0.string(1), collation: try $0.optionalString(2))
        }
    }

    /// The name of the connection's database.
    static func currentDatabase(on connection: MariaDBConnection) async throws -> String {
        try await connection.execute("SELECT DATABASE()").rows[0].string(0)
    }

    /// The generation of the schema, from its columns and whether EventflowDB's record exists.
    static func generation(columns: [Column], pending: Int?) -> SchemaGeneration {
        if let pending { return .eventflow(pending: pending) }
        let byName = Dictionary(
            columns.map { ("\($0.table).\($0.column)", $0) }, uniquingKeysWith: { first, _ in first })
        guard byName["event.id"] != nil else { return .empty }
        if byName["event_cpid.domain"] == nil { return .originalV4_1 }
        if byName["log.message"]?.collation?.hasPrefix("utf8mb4") == true { return .originalV4_8 }
        return .originalV4_2
    }

    /// The columns whose collation the character-set migration would change.
    static func columnsToConvert(_ columns: [Column]) -> (identifiers: [Column], unicode: [Column]) {
        let present = Dictionary(
            columns.map { ("\($0.table).\($0.column)", $0) }, uniquingKeysWith: { first, _ in first })
        let identifiers = identifierColumns.compactMap { present["\($0.table).\($0.column)"] }.filter {
            $0.collation != "ascii_bin"
        }
        let unicode = unicodeColumns.compactMap { present["\($0.table).\($0.column)"] }.filter {
            $0.collation != "utf8mb4_bin"
        }
        return (identifiers, unicode)
    }

    /// Refuses, before anything changes, a conversion to ascii_bin that would mangle a value (a
    /// byte outside ASCII) or make values that matched each other stop matching (two values
    /// equal ignoring case under a case-insensitive collation).
    ///
    /// - Throws: ``/EventflowDB/EventflowDBError/Code/setupTableSchemas`` naming the table, the column and the
    ///   way out; an example value only in its ``/EventflowDB/EventflowDBError/detail`` (a row's value is no
    ///   message's to log).
    static func checkCharacterSetConversion(_ identifiers: [Column], on connection: MariaDBConnection) async throws {
        for column in identifiers {
            // Names come from the fixed lists above, matched against information_schema.
            let table = try MariaDBIdentifier(column.table)
            let name: MariaDBQuery = try "\(table).\(identifier: column.column)"
            let nonASCII = try await connection.execute(
                """
                SELECT \(name) FROM \(table) WHERE \
                HEX(\(name)) REGEXP '^(..)*[89A-F]' LIMIT 1
                """
            )
            if let example = try nonASCII.rows.first?.optionalString(0) {
                throw refusal(column, "holds a character outside ASCII", example: "for example '\(example)'")
            }
            guard column.collation?.hasSuffix("_ci") == true else { continue }
            let caseVariants = try await connection.execute(
                """
                SELECT CONVERT(MIN(BINARY \(name)) USING ascii),
                CONVERT(MAX(BINARY \(name)) USING ascii)
                FROM \(table) GROUP BY \(name)
                HAVING COUNT(DISTINCT BINARY \(name)) > 1 LIMIT 1
                """)
            if let row = caseVariants.rows.first {
                let first = try row.optionalString(0) ?? "", second = try row.optionalString(1) ?? ""
                throw refusal(
                    column,
                    """
                    holds values that differ only in case, which match each \
                    other today and would not after the conversion
                    """,
                    example: "for example '\(first)' and '\(second)'")
            }
        }
    }

    private static func refusal(_ column: Column, _ reason: String, example: String) -> EventflowDBError {
        EventflowDBError(
            .setupTableSchemas,
            "cannot make \(column.table).\(column.column) ascii_bin (it is \(column.collation ?? "binary")): "
                + "it \(reason). Nothing was changed. Make those values ASCII and distinct "
                + "(see \"Adopting an original database\" in the README), then migrate again",
            detail: "\(column.table).\(column.column) \(example)"
        )
    }
}

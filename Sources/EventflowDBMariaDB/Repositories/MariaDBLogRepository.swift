public import EventflowDB
import Foundation

/// ``/EventflowDB/LogRepository`` on MariaDB. Archiving splits the log table's `p_hot` partition.
extension MariaDBRepository: LogRepository {
    public func insertLog(_ entry: Validated<NewLogEntry>) async throws {
        let now = context.now().truncatedToMilliseconds
        try await context.execute(
            .logPersist, "could not persist log",
            """
            INSERT INTO log (timestamp, agent, message, error) VALUES \
            (\(now), \(entry.agent), \(entry.message), \(text: entry.json))
            """
        )
    }

    public func archiveLogPartition(before cutoff: Cutoff) async throws -> Bool {
        let before = cutoff.time ?? context.now()
        let day = LogArchiveDay.string(for: before)
        let partition = "p_cold_" + day
        // REORGANIZE PARTITION copies every row of p_hot: DDL limits, on a connection of its own.
        return try await context.withDedicatedConnection(
            .logArchive, "could not archive log for \(LogArchiveDay.isoString(for: before))", limits: context.ddlLimits
        ) { connection in
            let existing = try await Self.archives(on: connection)
            if existing.contains(partition) { return false }
            if let last = existing.last, last > partition {
                throw EventflowDBError(
                    .logArchive,
                    """
                    cannot archive the log before \(LogArchiveDay.isoString(for: before)): \
                    it is already archived up to \(LogArchiveDay.iso(fromDay: String(last.dropFirst(7)))), \
                    and archives only move forward
                    """
                )
            }
            // DDL takes no parameters: the partition name is a checked identifier, the day
            // (YYYYMMDD, formatted from a Date) is written as a number.
            guard day.utf8.count == 8, day.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let date = Int64(day) else {
                preconditionFailure("not a day: \(day)")
            }
            let reorganize: MariaDBQuery = try """
            ALTER TABLE log REORGANIZE PARTITION p_hot INTO (PARTITION \(identifier: partition) \
            VALUES LESS THAN (TO_DAYS(\(literal: date))), PARTITION p_hot VALUES LESS THAN MAXVALUE)
            """
            do {
                try await connection.query(reorganize)
            } catch let error as DatabaseError {
                // Another process archived the same day at the same moment: done either way.
                if try await Self.archives(on: connection).contains(partition) { return false }
                throw error
            }
            return true
        }
    }

    public func removeLogArchives(before cutoff: Cutoff) async throws -> [String] {
        let day = LogArchiveDay.string(for: cutoff.time ?? context.now())
        return try await context.withDedicatedConnection(
            .logArchiveDrop, "could not drop log archives", limits: context.ddlLimits
        ) { connection in
            let doomed = try await Self.archives(on: connection).filter { name in
                // DDL takes no parameters: only names of the form p_cold_<8 digits>, read from
                // the server's own partition list, are put in the statement.
                let digits = name.utf8.dropFirst(7)
                return name.hasPrefix("p_cold_") && digits.count == 8
                    && digits.allSatisfy { (0x30...0x39).contains($0) }
                    && String(decoding: digits, as: UTF8.self) <= day
            }
            if doomed.isEmpty { return [] }
            let names = try doomed.map { name throws(EventflowDBError) in try MariaDBIdentifier(name) }
            try await connection.query("ALTER TABLE log DROP PARTITION \(identifiers: names)")
            return doomed
        }
    }

    public func readLogArchives() async throws -> [String] {
        try await context.run(.logRead, "could not read log archives", retry: .read) {
            try await Self.archives(on: $0)
        }
    }

    /// The `p_cold_*` partitions of the log table, oldest first.
    static func archives(on connection: MariaDBConnection) async throws -> [String] {
        let database = try await SchemaInspection.currentDatabase(on: connection)
        let result = try await connection.execute(
            """
            SELECT PARTITION_NAME FROM information_schema.PARTITIONS
            WHERE TABLE_SCHEMA = \(database) AND TABLE_NAME = 'log' AND PARTITION_NAME LIKE 'p\\_cold\\_%'
            ORDER BY PARTITION_ORDINAL_POSITION
            """)
        return try result.rows.map { try $0.string(0) }
    }

    public func fetchLogs(agent: Identifier?, range: TimeRange) async throws -> [LogEntry] {
        try await lines(agent: agent, from: range.from, to: range.to, after: nil, limit: nil)
    }

    public func fetchLogPage(agent: Identifier?, page: LogPage) async throws -> [LogEntry] {
        try await lines(agent: agent, from: page.from, to: page.to, after: page.after, limit: page.limit)
    }

    /// Log lines in (timestamp, id) order: the order they were written within a millisecond.
    private func lines(
        agent: Identifier?, from: Date?, to: Date?, after: EventCursor?, limit: Int?
    ) async throws -> [LogEntry] {
        var query: MariaDBQuery = "SELECT \(unescaped: LogEntry.columns) FROM log WHERE TRUE"
        if let agent { query.append(" AND agent = \(agent)") }
        if let from { query.append(" AND timestamp >= \(ReadBound.clamp(from))") }
        if let to { query.append(" AND timestamp <= \(ReadBound.clamp(to))") }
        if let after {
            query.append(
                " AND (timestamp > \(after.timestamp) OR (timestamp = \(after.timestamp) AND id > \(after.position)))")
        }
        query.append(" ORDER BY timestamp, id")
        if let limit { query.append(" LIMIT \(limit)") }
        return try await context.fetch(.logRead, "could not read log", LogEntry.self, query)
    }
}

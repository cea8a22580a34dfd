import EventflowDB
import Foundation

extension InMemoryStore {
    /// Retention's one rule in memory: deletes the rows of `table` with one of `stamps` at or
    /// before the cutoff (now when it has no time), by id, at most its limit; returns how many.
    func deleteFinished<Row>(
        from table: inout [String: Row], _ cutoff: Cutoff, id: KeyPath<Row, String>, stamps: [KeyPath<Row, Date?>]
    ) throws -> Int {
        try ensureOpen(.retentionDelete)
        let before = (cutoff.time ?? clock.now()).truncatedToMilliseconds
        let finished = table.values.filter { row in stamps.contains { row[keyPath: $0].map { $0 <= before } ?? false } }
        let doomed = finished.map { $0[keyPath: id] }.sorted().prefix(cutoff.limit ?? .max)
        for key in doomed { table[key] = nil }
        return doomed.count
    }
}

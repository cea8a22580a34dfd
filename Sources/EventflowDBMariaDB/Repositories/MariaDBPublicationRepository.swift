public import EventflowDB
import Foundation

/// ``/EventflowDB/PublicationRepository`` on MariaDB: every write in one transaction.
extension MariaDBRepository: PublicationRepository {
    /// A publication stored before exactly as given (a retry, from any process: its event with
    /// the same content, its delivery by the same publisher) is answered as stored, once. A
    /// failure carries the event's id, generated or given
    /// (``/EventflowDB/EventflowDBError/eventIDs``).
    public func insertPublication(_ publication: Validated<Publication>) async throws -> String {
        let now = context.now()
        let row = Self.row(publication.checkedEvent, now: now)
        do {
            try await write(publication.input, row, now: now)
        } catch var error as EventflowDBError {
            error.eventIDs = [row.event.id]
            throw error
        }
        return row.event.id
    }

    private func write(_ publication: Publication, _ row: Row, now: Date) async throws {
        let id = row.event.id
        try await context.run(.eventPublish, "could not publish event", retry: .recoverable, transaction: true) {
            connection, attempt in
            // After a lost COMMIT reply: the publication is there when its event is (all or nothing).
            if attempt.afterUnknownOutcome,
                try await Self.committed(row, publisher: publication.publisher, on: connection)
            {
                return
            }
            do {
                try await MariaDBRepository.insert(
                    [row], on: connection, MariaDBContext.Attempt(afterUnknownOutcome: false))
            } catch let error as DatabaseError where error.kind == .duplicateKey {
                // An earlier attempt committed (this call's, while this one waited on its row
                // lock, or a retried call's, in any process): stored once when it is this one.
                guard try await Self.committed(row, publisher: publication.publisher, on: connection) else {
                    throw error
                }
                return
            }
            for cpid in publication.cpids {
                try await connection.execute(
                    """
                    INSERT INTO event_cpid (event_id, domain, cpid) VALUES \
                    (\(id), \(cpid.domain), \(cpid.cpid)) ON DUPLICATE KEY \
                    UPDATE cpid = cpid
                    """
                )
            }
            for eid in publication.eids {
                try await connection.execute(
                    "INSERT INTO event_eid (event_id, eid) VALUES (\(id), \(eid)) ON DUPLICATE KEY UPDATE eid = eid")
            }
            let published = now.truncatedToSeconds
            try await connection.execute(
                """
                INSERT INTO event_published (event_id, published, publisher, consumer, hub)
                VALUES (\(id), \(published), \(publication.publisher), \(publication.consumer), \(publication.hub))
                """)
            if let scheduled = publication.scheduled {
                try await connection.execute(
                    """
                    INSERT INTO event_scheduled (event_id, timestamp, scheduled) \
                    VALUES (\(id), \(published), \(scheduled.truncatedToSeconds))
                    """
                )
            }
        }
    }

    /// Whether the publication is stored: its event as given and its delivery state by this
    /// publisher (false when the event is not there; a duplicate when it is there otherwise).
    private static func committed(
        _ row: Row, publisher: String, on connection: MariaDBConnection
    ) async throws -> Bool {
        guard try await MariaDBRepository.committed([row], on: connection) else { return false }
        let published = try await connection.execute(
            "SELECT publisher FROM event_published WHERE event_id = \(row.event.id) LOCK IN SHARE MODE")
        guard try published.rows.first?.string(0) == publisher else {
            throw DatabaseError(
                kind: .duplicateKey, number: 1062, sqlState: "23000",
                message: "the event is stored without this publication")
        }
        return true
    }
}

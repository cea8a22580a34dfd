public import EventflowDB
import Foundation

/// ``/EventflowDB/PublicationRepository`` on MariaDB: every write in one transaction.
extension MariaDBRepository: PublicationRepository {
    public func insertPublication(_ publication: Validated<Publication>) async throws -> String {
        let now = context.now()
        // A retry of a publish whose outcome stayed unknown reuses the event as it was sent then.
        let (rows, afterUnknownOutcome) = context.unsettled.settle(
            [Self.row(publication.checkedEvent, now: now)], from: [publication.event])
        let row = rows[0]
        let id = row.event.id
        do {
            try await write(publication.input, row, now: now, afterUnknownOutcome: afterUnknownOutcome)
        } catch let error as EventflowDBError where error.isOutcomeUnknown {
            context.unsettled.keep([row])
            throw error
        }
        return id
    }

    private func write(
        _ publication: Publication, _ row: Row, now: Date, afterUnknownOutcome: Bool
    ) async throws {
        let id = row.event.id
        try await context.run(
            .eventPublish, "could not publish event", retry: .recoverable, transaction: true,
            afterUnknownOutcome: afterUnknownOutcome
        ) { connection, attempt in
            // After a lost COMMIT reply: the publication is there when its event is (all or nothing).
            if attempt.afterUnknownOutcome,
                try await Self.committed(row, publisher: publication.publisher, on: connection)
            {
                return
            }
            do {
                try await MariaDBRepository.insert(
                    [row], on: connection, MariaDBContext.Attempt(afterUnknownOutcome: false))
            } catch let error as DatabaseError where error.kind == .duplicateKey && attempt.afterUnknownOutcome {
                // The earlier attempt committed while this one waited on its row lock.
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

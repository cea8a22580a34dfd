import EventflowDB
import Foundation

/// ``PublicationRepository`` on MariaDB: every write in one transaction.
public struct MariaDBPublicationRepository: PublicationRepository {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }

    public func publish(_ publication: Publication) async throws -> String {
        let data = try Validator.validate(publication)
        let now = context.now()
        let event = publication.event
        let id = event.id ?? EventID.generate(at: now)
        try await context.transaction(.eventPublish, "could not publish event") { connection in
            _ = try await connection.execute(
                "INSERT INTO event (id, timestamp, domain, rid, pid, name, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    .string(id), .datetime((event.timestamp ?? now).truncatedToMilliseconds), .string(event.domain), .optional(event.rid),
                    .string(event.pid), .string(event.name), .string(String(decoding: data, as: UTF8.self)),
                ])
            for cpid in publication.cpids {
                _ = try await connection.execute(
                    "INSERT INTO event_cpid (event_id, domain, cpid) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE cpid = cpid",
                    [.string(id), .string(cpid.domain), .string(cpid.cpid)])
            }
            for eid in publication.eids {
                _ = try await connection.execute(
                    "INSERT INTO event_eid (event_id, eid) VALUES (?, ?) ON DUPLICATE KEY UPDATE eid = eid", [.string(id), .string(eid)])
            }
            _ = try await connection.execute(
                "INSERT INTO event_published (event_id, published, publisher, consumer, hub) VALUES (?, ?, ?, ?, ?)",
                [
                    .string(id), .datetime(now.truncatedToSeconds), .string(publication.publisher), .optional(publication.consumer),
                    .optional(publication.hub),
                ])
            if let scheduled = publication.scheduled {
                _ = try await connection.execute(
                    "INSERT INTO event_scheduled (event_id, timestamp, scheduled) VALUES (?, ?, ?)",
                    [.string(id), .datetime(now.truncatedToSeconds), .datetime(scheduled.truncatedToSeconds)])
            }
        }
        return id
    }
}

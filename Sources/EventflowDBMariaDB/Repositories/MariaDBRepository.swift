import EventflowDB

/// Every repository protocol on MariaDB, over one `MariaDBContext` (a connection pool, a
/// clock, a logger and the retry policy).
///
/// One value serves as ``/EventflowDB/EventRepository``, ``/EventflowDB/EventPublishedRepository``,
/// ``/EventflowDB/EventScheduledRepository``, ``/EventflowDB/HubRepository``, ``/EventflowDB/CertificateRepository``, ``/EventflowDB/LogRepository``
/// and ``/EventflowDB/PublicationRepository``; the conformances live in a file each. Make one with
/// `EventflowDB.mariaDB(configuration:logger:clock:instruments:)`.
public struct MariaDBRepository: Sendable {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }
}

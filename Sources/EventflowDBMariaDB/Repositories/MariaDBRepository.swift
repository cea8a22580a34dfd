import EventflowDB

/// Every repository protocol on MariaDB, over one ``MariaDBContext`` (a connection pool, a
/// clock, a logger and the retry policy).
///
/// One value serves as ``EventRepository``, ``EventPublishedRepository``,
/// ``EventScheduledRepository``, ``HubRepository``, ``CertificateRepository``, ``LogRepository``
/// and ``PublicationRepository``; the conformances live in a file each. Make one with
/// ``EventflowDB/mariaDB(configuration:logger:clock:)``.
public struct MariaDBRepository: Sendable {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }
}

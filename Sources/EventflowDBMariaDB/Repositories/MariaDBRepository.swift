import EventflowDB

/// Every repository protocol on MariaDB, over one ``MariaDBContext`` (a connection pool, a
/// clock, a logger and the retry policy).
///
/// One value serves as ``EventRepository``, ``EventPublishedRepository``,
/// ``EventScheduledRepository``, ``HubRepository``, ``CertificateRepository``, ``LogRepository``
/// and ``PublicationRepository``; the conformances live in a file each. Make one with
/// ``EventflowDB/mariaDB(configuration:logger:clock:)``. The names per protocol
/// (``MariaDBEventRepository``, ...) stay as aliases.
public struct MariaDBRepository: Sendable {
    let context: MariaDBContext

    init(context: MariaDBContext) {
        self.context = context
    }
}

/// ``EventRepository`` on MariaDB.
public typealias MariaDBEventRepository = MariaDBRepository
/// ``EventPublishedRepository`` on MariaDB.
public typealias MariaDBEventPublishedRepository = MariaDBRepository
/// ``EventScheduledRepository`` on MariaDB.
public typealias MariaDBEventScheduledRepository = MariaDBRepository
/// ``HubRepository`` on MariaDB.
public typealias MariaDBHubRepository = MariaDBRepository
/// ``CertificateRepository`` on MariaDB.
public typealias MariaDBCertificateRepository = MariaDBRepository
/// ``LogRepository`` on MariaDB.
public typealias MariaDBLogRepository = MariaDBRepository
/// ``PublicationRepository`` on MariaDB.
public typealias MariaDBPublicationRepository = MariaDBRepository
/// ``LockRepository`` on MariaDB.
public typealias MariaDBLockRepository = MariaDBRepository

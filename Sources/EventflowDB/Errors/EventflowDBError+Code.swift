extension EventflowDBError {
    /// A stable error code. The raw value is the code string of the original JavaScript library
    /// (`@superhero/eventflow-db`), so services in both languages agree on it.
    ///
    /// A struct rather than an enum: new codes can be added without breaking a caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Input and infrastructure
        /// Input rejected before any I/O; ``EventflowDBError/field`` names the field.
        public static let invalidInput = Code(rawValue: "E_EVENTFLOW_DB_INVALID_INPUT")
        /// The configuration (file, key or environment variable) is missing or malformed.
        public static let configuration = Code(rawValue: "E_EVENTFLOW_DB_CONFIG")
        /// The ``Locator`` holds nothing for the requested type.
        public static let locator = Code(rawValue: "E_EVENTFLOW_DB_LOCATOR")
        /// Could not reach the database or open a connection.
        public static let connection = Code(rawValue: "E_EVENTFLOW_DB_CONNECTION")
        /// Applying the table schemas (migrations) failed.
        public static let setupTableSchemas = Code(rawValue: "E_EVENTFLOW_DB_SETUP_TABLE_SCHEMAS")

        // Events
        public static let eventPersist = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PERSIST")
        public static let eventRead = Code(rawValue: "E_EVENTFLOW_DB_EVENT_READ")
        public static let eventNotFound = Code(rawValue: "E_EVENTFLOW_DB_EVENT_NOT_FOUND")
        public static let eventDelete = Code(rawValue: "E_EVENTFLOW_DB_EVENT_DELETE")
        public static let eventDeleteByPid = Code(rawValue: "E_EVENTFLOW_DB_EVENT_DELETE_BY_PID")
        public static let eventReadByPid = Code(rawValue: "E_EVENTFLOW_DB_EVENT_READ_BY_PID")
        public static let eventReadByPidBetweenTimestamps = Code(
            rawValue: "E_EVENTFLOW_DB_EVENT_READ_BY_PID_BETWEEN_TIMESTAMPS")
        public static let eventReadDistinctPidByDomain = Code(
            rawValue: "E_EVENTFLOW_DB_EVENT_READ_DISTINCT_PID_BY_DOMAIN")
        public static let eventCpidPersist = Code(rawValue: "E_EVENTFLOW_DB_EVENT_CPID_PERSIST")
        public static let eventCpidDelete = Code(rawValue: "E_EVENTFLOW_DB_EVENT_CPID_DELETE")
        public static let eventCpidReadByEventID = Code(rawValue: "E_EVENTFLOW_DB_EVENT_CPID_READ_BY_EVENT_ID")
        public static let eventByDomainAndCpidRead = Code(rawValue: "E_EVENTFLOW_DB_EVENT_BY_DOMAIN_AND_CPID_READ")
        public static let eventEidPersist = Code(rawValue: "E_EVENTFLOW_DB_EVENT_EID_PERSIST")
        public static let eventEidDelete = Code(rawValue: "E_EVENTFLOW_DB_EVENT_EID_DELETE")
        public static let eventEidReadByEventID = Code(rawValue: "E_EVENTFLOW_DB_EVENT_EID_READ_BY_EVENT_ID")
        public static let eventsReadByEid = Code(rawValue: "E_EVENTFLOW_DB_EVENTS_READ_BY_EID")
        public static let eventsReadByDomainAndEid = Code(rawValue: "E_EVENTFLOW_DB_EVENTS_READ_BY_DOMAIN_AND_EID")

        /// An atomic publish (``EventflowDB/publish(_:)``) failed; nothing was written.
        public static let eventPublish = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISH")

        // Published events (delivery state)
        public static let eventPublishedPersist = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_PERSIST")
        public static let eventPublishedRead = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_READ")
        public static let eventPublishedNotFound = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_NOT_FOUND")
        /// The original uses this code for both "consumed by hub" and "consumed by spoke" claims.
        public static let eventPublishedCreate = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_CREATE")
        public static let eventPublishedUpdateSuccess = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_UPDATE_SUCCESS")
        public static let eventPublishedUpdateFailed = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_UPDATE_FAILED")
        public static let eventPublishedUpdateOrphan = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_UPDATE_ORPHAN")

        // Scheduled events
        public static let scheduledEventPersist = Code(rawValue: "E_EVENTFLOW_DB_SCHEDULED_EVENT_PERSIST")
        public static let scheduledEventRead = Code(rawValue: "E_EVENTFLOW_DB_SCHEDULED_EVENT_READ")
        public static let scheduledEventUpdateExecuted = Code(
            rawValue: "E_EVENTFLOW_DB_SCHEDULED_EVENT_UPDATE_EXECUTED")
        public static let scheduledEventUpdateSuccess = Code(rawValue: "E_EVENTFLOW_DB_SCHEDULED_EVENT_UPDATE_SUCCESS")
        public static let scheduledEventUpdateFailed = Code(rawValue: "E_EVENTFLOW_DB_SCHEDULED_EVENT_UPDATE_FAILED")
        /// Renewing or releasing a delivery's lease, or making an exhausted delivery a dead letter, failed.
        public static let eventPublishedUpdateAttempt = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_UPDATE_ATTEMPT")
        /// Requeueing a dead letter failed.
        public static let eventPublishedRequeue = Code(rawValue: "E_EVENTFLOW_DB_EVENT_PUBLISHED_REQUEUE")
        /// Deleting finished delivery or schedule rows (retention) failed.
        public static let retentionDelete = Code(rawValue: "E_EVENTFLOW_DB_RETENTION_DELETE")

        // Hubs
        public static let hubPersist = Code(rawValue: "E_EVENTFLOW_DB_HUB_PERSIST")
        public static let hubsRead = Code(rawValue: "E_EVENTFLOW_DB_HUBS_READ")
        public static let hubUpdateToQuit = Code(rawValue: "E_EVENTFLOW_DB_HUB_UPDATE_TO_QUIT")
        public static let hubHasQuit = Code(rawValue: "E_EVENTFLOW_DB_HUB_HAS_QUIT")
        /// A heartbeat (``HubRepository/recordHeartbeat(hubID:)``) failed. New in EventflowDB for Swift.
        public static let hubHeartbeat = Code(rawValue: "E_EVENTFLOW_DB_HUB_HEARTBEAT")

        // Certificates
        public static let certificatePersist = Code(rawValue: "E_EVENTFLOW_DB_CERTIFICATE_PERSIST")
        public static let certificateRead = Code(rawValue: "E_EVENTFLOW_DB_CERTIFICATE_READ")
        public static let certificateNotFound = Code(rawValue: "E_EVENTFLOW_DB_CERTIFICATE_NOT_FOUND")
        public static let certificateRevoke = Code(rawValue: "E_EVENTFLOW_DB_CERTIFICATE_REVOKE")
        public static let certificateRevokePastValidity = Code(
            rawValue: "E_EVENTFLOW_DB_CERTIFICATE_REVOKE_PAST_VALIDITY")

        // Log
        public static let logPersist = Code(rawValue: "E_EVENTFLOW_DB_LOG_PERSIST")
        public static let logArchive = Code(rawValue: "E_EVENTFLOW_DB_LOG_ARCHIVE")
        public static let logRead = Code(rawValue: "E_EVENTFLOW_DB_LOG_READ")
        /// Dropping log archive partitions (retention) failed.
        public static let logArchiveDrop = Code(rawValue: "E_EVENTFLOW_DB_LOG_ARCHIVE_DROP")

        // Locks
        /// The named lock was not acquired within the timeout.
        public static let lockTimeout = Code(rawValue: "E_EVENTFLOW_DB_LOCK_TIMEOUT")
        /// Acquiring or releasing the named lock failed for another reason.
        public static let lock = Code(rawValue: "E_EVENTFLOW_DB_LOCK")
        /// The named lock was lost while the body ran (its connection to the database died), so
        /// other processes may have held it too. The body was cancelled.
        public static let lockLost = Code(rawValue: "E_EVENTFLOW_DB_LOCK_LOST")
    }
}

import EventflowDB

/// Classifies MariaDB server and client error numbers into what callers branch on.
enum MariaDBErrorMapping {
    static func kind(forNumber number: Int) -> DatabaseError.Kind {
        switch number {
        case 1062, 1586, 1022: .duplicateKey
        case 1451, 1452, 1216, 1217: .foreignKey
        case 1213: .deadlock
        // ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR,
        // ER_MUST_CHANGE_PASSWORD_LOGIN: a refused login, an answer rather than a lost connection.
        case 1044, 1045, 1698, 1862: .authentication
        // ER_UNKNOWN_COM_ERROR: a Galera node outside the primary component, or not synced.
        case 1047: .nodeUnavailable
        case 1205: .lockWaitTimeout
        case 1969: .statementTimeout
        case 4025, 3819: .constraint
        // CR_CONNECTION_ERROR, CR_CONN_HOST_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST,
        // CR_COMMANDS_OUT_OF_SYNC, CR_SERVER_LOST_EXTENDED, ER_CONNECTION_KILLED,
        // ER_SERVER_SHUTDOWN, ER_CON_COUNT_ERROR, CR_UNKNOWN_HOST
        case 2002, 2003, 2006, 2013, 2014, 2055, 1927, 1053, 1040, 2005: .connectionLost
        // CR_SSL_CONNECTION_ERROR
        case 2026: .tls
        default: .other
        }
    }

    /// Whether a connection that reported this error must be discarded.
    static func breaksConnection(_ kind: DatabaseError.Kind) -> Bool {
        kind == .connectionLost || kind == .tls || kind == .nodeUnavailable
    }
}

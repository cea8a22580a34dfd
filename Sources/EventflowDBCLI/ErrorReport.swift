import EventflowDB
import Foundation

/// How a failure reaches the operator: the code and message on standard error, and a hint;
/// with `--verbose` also the error's detail (which can quote stored values).
enum ErrorReport {
    static func print(_ error: EventflowDBError, verbose: Bool = false) {
        var lines = ["error: \(error.code.rawValue): \(error.message)"]
        if let field = error.field { lines.append("field: \(field)") }
        if verbose, let detail = error.detail { lines.append("detail: \(detail)") }
        if let hint = hint(for: error) { lines.append("hint: \(hint)") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    static func exitCode(for error: EventflowDBError) -> Int32 {
        switch error.code {
        case .configuration, .invalidInput: 2
        case .eventNotFound, .certificateNotFound, .eventPublishedNotFound: 3
        default: error.isConnectionFailure || error.isAuthenticationFailure ? 4 : 1
        }
    }

    static func hint(for error: EventflowDBError) -> String? {
        if error.isOutcomeUnknown {
            let ids = error.eventIDs.isEmpty ? "the same ids" : "--id " + error.eventIDs.joined(separator: ", ")
            return
                """
                the write may or may not have been applied: look it up \
                (`eventflow-db events --id …`) or repeat it with \(ids)
                """
        }
        if error.isAuthenticationFailure {
            return
                """
                the server refused the login: check the user and password \
                (--config, EVENTFLOW_MYSQL_USER, EVENTFLOW_MYSQL_PASS) and \
                that the user may use the database
                """
        }
        if error.isConnectionFailure || error.code == .connection {
            return
                """
                is the server running and reachable? `make db` starts \
                the project's own; check --config and the EVENTFLOW_MYSQL_* \
                variables
                """
        }
        switch error.code {
        case .configuration: return "check the config file (--config) and the EVENTFLOW_MYSQL_* variables"
        case .invalidInput:
            return
                """
                the field named above breaks its rule, given in the message \
                (ids, domains, pids and names are 1-64 printable ASCII \
                characters; durations 0 to one year; dates in the years \
                1000-9999)
                """
        case .eventNotFound, .certificateNotFound, .eventPublishedNotFound:
            return "check the id; ids are case-sensitive"
        case .setupTableSchemas: return "`eventflow-db status` lists applied and pending migrations"
        case .logArchive: return "`eventflow-db log archive` only moves forward: archive a later day"
        case .lockTimeout: return "another process holds the lock; wait, or raise --timeout"
        case .lockLost: return "the lock's connection died while it was held: other processes may have held it too"
        default:
            if error.databaseError?.number == 1146 { return "the tables are missing: run `eventflow-db migrate`" }
            return nil
        }
    }
}

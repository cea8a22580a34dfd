import EventflowDB
import Foundation

extension TestBackend {
    /// MariaDB from `make db` (or the `EVENTFLOW_MYSQL_*` variables): each test gets a database
    /// of its own, created here and dropped afterwards.
    public static let mariadb = TestBackend(name: "mariadb") { clock in
        throw EventflowDBError(.connection, "the MariaDB backend is not built yet")
    }
}

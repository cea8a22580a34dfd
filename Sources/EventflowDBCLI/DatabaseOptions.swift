import ArgumentParser
import EventflowDB
import EventflowDBInMemory
import EventflowDBMariaDB
import Foundation
import Logging

/// Where the database is: the options every subcommand shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A JSON config file, as the Locator reads it.", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp("memory or mariadb; overrides the config's eventflow.db.driver.", valueName: "driver"))
    var driver: Driver?

    @Flag(name: .long, help: "Log what the library does (to standard error).")
    var verbose = false

    enum Driver: String, ExpressibleByArgument, CaseIterable {
        case memory, mariadb
    }

    /// Opens the database, runs `body`, closes it; failures become a message and an exit code.
    func withDatabase<T>(_ body: (EventflowDB) async throws -> T) async throws -> T {
        do {
            var driverConfig = try await DriverConfig.load(configFile: config)
            if let driver { driverConfig.driver = driver.rawValue }
            var logger = Logger(label: "eventflow-db")
            logger.logLevel = verbose ? .debug : .error
            let db = try await driverConfig.makeDatabase(drivers: [.memory(), .mariaDB()], logger: logger)
            do {
                let result = try await body(db)
                try await db.close()
                return result
            } catch {
                try? await db.close()
                throw error
            }
        } catch let error as EventflowDBError {
            ErrorReport.print(error, verbose: verbose)
            throw ExitCode(ErrorReport.exitCode(for: error))
        }
    }
}

import ArgumentParser

/// `eventflow-db`: tend an EventflowDB database without writing code.
@main
struct EventflowDBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventflow-db",
        abstract: "Migrate, inspect and tend an Eventflow database.",
        discussion: """
            The database is chosen like the library chooses it: --config FILE (the Locator's JSON), \
            then the EVENTFLOW_MYSQL_* environment variables, then --driver.
            """,
        version: "0.1.0",
        subcommands: [
            MigrateCommand.self, StatusCommand.self, EventsCommand.self, HubsCommand.self, CertificatesCommand.self,
            LogCommand.self, LockCommand.self, DeadLettersCommand.self, RetentionCommand.self, WatchCommand.self,
            DemoCommand.self, DeliverCommand.self, PublishCommand.self,
        ]
    )
}

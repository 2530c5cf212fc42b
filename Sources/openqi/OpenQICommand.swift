import ArgumentParser

@main
struct OpenQICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openqi",
        abstract: "OpenQI: the infrastructure for quality improvement, in one self-hosted system.",
        discussion: """
            Configuration comes from flags and environment variables:
              DATABASE_URL            use PostgreSQL (postgres://user:password@host:5432/database) instead of SQLite
              OPENQI_DB               the SQLite file when --db is not given (default openqi.sqlite)
              OPENQI_HOSTNAME, OPENQI_PORT   where serve listens when --hostname / --port are not given
              OPENQI_SECURE_COOKIES   true when OpenQI is served over HTTPS (marks cookies Secure)
              LOG_LEVEL               trace, debug, info (default), notice, warning, error, critical
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DemoCommand.self, UserCommand.self, BackupCommand.self,
            RestoreCommand.self, CheckCommand.self, SPCCommand.self, BenchCommand.self,
        ]
    )
}

import ArgumentParser
import Foundation
import Logging
import OpenQI
import Vapor

/// The `--db` flag every command that opens the database shares.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(
        name: .customLong("db"),
        help: "The SQLite file to use (default: $OPENQI_DB or openqi.sqlite). Ignored when DATABASE_URL is set.")
    var sqlitePath: String?

    var location: DatabaseLocation { .fromEnvironment(sqlitePath: sqlitePath) }
}

/// The process's logging is set up once, from LOG_LEVEL.
private let loggingBootstrap: Void = {
    var environment = Environment(name: "production", arguments: ["openqi"])
    try? LoggingSystem.bootstrap(from: &environment)
}()

extension DatabaseOptions {
    /// An OpenQI application on this database, with migrations run unless `migrate` is false (the
    /// backup commands leave the schema as they find it). `arguments` are Vapor's own (only
    /// `serve` passes any).
    func makeApplication(arguments: [String] = ["openqi"], migrate: Bool = true) async throws -> Application {
        _ = loggingBootstrap
        let name = ProcessInfo.processInfo.environment["OPENQI_ENV"] ?? "production"
        let app = try await Application.make(Environment(name: name, arguments: arguments))
        do {
            let config = OpenQIConfiguration(
                database: location, secureCookies: OpenQIConfiguration.secureCookiesFromEnvironment(),
                clientAddressHeader: OpenQIConfiguration.clientAddressHeaderFromEnvironment(),
                metricsToken: try OpenQIConfiguration.metricsTokenFromEnvironment(),
                singleSignOn: try SingleSignOnSettings.fromEnvironment(),
                postgresConnectionsPerCore: try OpenQIConfiguration.postgresConnectionsPerCoreFromEnvironment(),
                dateOrder: try OpenQIConfiguration.dateOrderFromEnvironment())
            try await configure(app, config)
            app.logger.info("database", metadata: ["database": "\(location.displayName)"])
            if migrate { try await app.prepareDatabase() }
            return app
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// Runs `body` with an application and shuts it down afterwards, whatever happens.
func withApplication<T>(
    _ options: DatabaseOptions, migrate: Bool = true, _ body: (Application) async throws -> T
) async throws -> T {
    let app = try await options.makeApplication(migrate: migrate)
    do {
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

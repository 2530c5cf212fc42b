import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Sets up an OpenQI application: database, migrations, middleware and routes.
/// The CLI's `serve` and the tests both come through here, so they run the same application.
public func configure(_ app: Application, _ config: OpenQIConfiguration) async throws {
    app.openQIConfiguration = config
    try useDatabase(config.database, connectionsPerCore: config.postgresConnectionsPerCore, in: app)
    app.migrations.add(OpenQIMigrations.all)

    // bcrypt's default cost in production; a cheap one in tests, which hash many passwords.
    app.passwords.use(.bcrypt(cost: app.environment == .testing ? 4 : 12))
    app.storage[TimingDecoyKey.self] = try app.password.hash(SecureToken.make())

    OpenQIMetrics.bootstrap()
    app.resultCache = ResultCache()
    if let settings = config.singleSignOn {
        let client = OpenIDProvider.makeClient(on: app.eventLoopGroup)
        app.singleSignOn = OpenIDProvider(settings: settings, client: client)
        app.lifecycle.use(ClientShutdown(client: client))
    }
    app.lifecycle.use(HousekeepingSchedule())

    // Order matters: errors from everything below are rendered by the first; the viewer is known
    // before the anti-forgery check, which needs the session's token.
    app.middleware = Middlewares()
    app.middleware.use(AppClockMiddleware())
    // Outside the error middleware, so the pages and problems it makes from errors carry them too.
    app.middleware.use(SecurityHeadersMiddleware(strictTransportSecurity: config.secureCookies))
    app.middleware.use(OpenQIErrorMiddleware())
    if let publicDirectory = Bundle.module.url(forResource: "Public", withExtension: nil) {
        app.middleware.use(PublicFilesMiddleware(directory: publicDirectory))
    }
    app.middleware.use(SessionMiddleware(idleTimeout: config.sessionIdleTimeout))
    app.middleware.use(CSRFMiddleware(secureCookies: config.secureCookies))
    app.middleware.use(NoticeMiddleware())

    // A form or a JSON body: a project's longest text fields, in any script, fit well inside.
    // Routes that take files or batches of data set their own limits.
    app.routes.defaultMaxBodySize = "1mb"
    try routes(app)
}

private func useDatabase(_ location: DatabaseLocation, connectionsPerCore: Int, in app: Application) throws {
    switch location {
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        // Periods and months are days in UTC, stored in DATE columns and compared with bound
        // timestamps: a session in another time zone would shift them by a day or miss them.
        configuration.coreConfiguration.options.additionalStartupParameters = [("TimeZone", "UTC")]
        app.databases.use(
            .postgres(configuration: configuration, maxConnectionsPerEventLoop: connectionsPerCore), as: .psql)
    }
}

extension Application {
    /// Runs every migration not yet run, and on an SQLite file switches to write-ahead logging,
    /// so readers never wait for a writer. (`journal_mode` is stored in the file, so once is enough.)
    public func prepareDatabase() async throws {
        if case .sqliteFile = openQIConfiguration.database, let sql = db as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            // Fluent keeps one SQLite connection per event loop, and these settings belong to a
            // connection. Without a busy timeout, a write on one fails at once with SQLITE_BUSY while
            // another loop's connection is writing. A bulk import of half a million rows spills
            // SQLite's default 2 MB page cache and its statement journals to disk many times over:
            // a 32 MB cache and journals in memory keep it in memory. `synchronous = NORMAL` is
            // the setting SQLite recommends with WAL: a power cut may lose the last commits, never
            // the file's consistency.
            for eventLoop in eventLoopGroup.makeIterator() {
                let database = databases.database(logger: logger, on: eventLoop)
                guard let sql = database as? any SQLDatabase else { continue }
                for pragma in [
                    "busy_timeout = 5000", "cache_size = -32768", "temp_store = MEMORY", "synchronous = NORMAL",
                ] {
                    try await sql.raw("PRAGMA \(unsafeRaw: pragma)").run()
                }
            }
        }
        // One instance at a time, when several start together on one database.
        try await MigrationLock.holding(for: openQIConfiguration.database, in: self) { try await autoMigrate() }
    }

    private struct ConfigurationKey: StorageKey { typealias Value = OpenQIConfiguration }

    public internal(set) var openQIConfiguration: OpenQIConfiguration {
        get { storage[ConfigurationKey.self] ?? OpenQIConfiguration(database: .sqliteMemory) }
        set { storage[ConfigurationKey.self] = newValue }
    }
}

struct TimingDecoyKey: StorageKey { typealias Value = String }

/// Shuts down an HTTP client the application made, when the application stops.
private struct ClientShutdown: LifecycleHandler {
    let client: HTTPClient

    func shutdownAsync(_ app: Application) async {
        try? await client.shutdown()
    }
}

import Fluent
import FluentPostgresDriver
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import OpenQI

/// The database the tests run on: an in-memory SQLite database per test, or, when
/// `OPENQI_TEST_DATABASE_URL` names a PostgreSQL server (as `scripts/test` does on its second pass),
/// a fresh PostgreSQL database per test, created from that server and dropped afterwards.
enum TestDatabase {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["OPENQI_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isPostgres: Bool { postgresURL != nil }

    /// Drops a test's database. An autovacuum worker (a superuser process) may briefly hold a fresh
    /// database, which FORCE may not end; a few retries get past it.
    private static func drop(_ name: String, on url: String) async throws {
        for attempt in 1...5 {
            do {
                try await PostgresAdmin(url: url).run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                return
            } catch  where attempt < 5 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    /// Creates a migrated database for one test and returns where it is: on PostgreSQL a copy of
    /// the template `PostgresTemplate` migrated once for the whole run, which takes a fraction of
    /// the time of running every migration again.
    static func make() async throws -> (location: DatabaseLocation, cleanUp: @Sendable () async throws -> Void) {
        guard let url = postgresURL else { return (.sqliteMemory, {}) }
        let template = try await PostgresTemplate.shared.name(on: url)
        let name = uniqueName()
        // Far from UTC, so a date compared in the session's time zone instead of UTC fails a test
        // here rather than on a server in London in the summer. (A database's settings are not
        // copied from its template.) One connection for both: each new one costs a SCRAM exchange,
        // thousands of hash rounds in a debug build.
        try await PostgresAdmin(url: url).run(
            "CREATE DATABASE \(name) TEMPLATE \(template)",
            "ALTER DATABASE \(name) SET timezone TO 'Pacific/Auckland'"
        )
        return (.postgres(url: Self.url(url, database: name)), { try await drop(name, on: url) })
    }

    static func uniqueName() -> String {
        "openqi_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
    }

    /// The server's URL with another database.
    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/\(database)"
        return components.string!
    }
}

/// The database every PostgreSQL test copies: made and migrated once per test run, on first use.
/// (`scripts/test` drops every `openqi_test_…` database, this one too, before the next run.)
actor PostgresTemplate {
    static let shared = PostgresTemplate()

    private var made: Task<String, any Error>?

    func name(on url: String) async throws -> String {
        if let made { return try await made.value }
        let task = Task { try await Self.make(on: url) }
        made = task
        return try await task.value
    }

    private static func make(on url: String) async throws -> String {
        let name = TestDatabase.uniqueName()
        try await PostgresAdmin(url: url).run("CREATE DATABASE \(name)")
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(
                app, OpenQIConfiguration(database: .postgres(url: TestDatabase.url(url, database: name))))
            try await app.prepareDatabase()
        } catch {
            try? await app.asyncShutdown()
            throw TestFailure(String(reflecting: error))
        }
        // Every connection to the template is closed here: PostgreSQL copies only a database nobody is using.
        try await app.asyncShutdown()
        return name
    }
}

/// Runs statements such as CREATE DATABASE on the server named by a URL, outside any pool.
struct PostgresAdmin {
    let url: String

    /// Runs the statements in order on one connection.
    func run(_ statements: String...) async throws {
        let configuration = try SQLPostgresConfiguration(url: url)
        let logger = Logger(label: "openqi.tests.postgres-admin")
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration.coreConfiguration,
            id: 1, logger: logger
        )
        var current = ""
        do {
            for sql in statements {
                current = sql
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
            try await connection.close()
        } catch {
            try? await connection.close()
            // PSQLError hides its details from its description; a failing test should show them.
            throw Abort(.internalServerError, reason: "\(current): \(String(reflecting: error))")
        }
    }
}

/// Lets a bounded number of tests hold a PostgreSQL database at once: each holds a few connections,
/// and the server allows 100.
actor TestDatabaseSlots {
    static let shared = TestDatabaseSlots(limit: 8)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// An OpenQI application on a fresh, migrated test database, shut down (and its database dropped)
/// afterwards, configured as a test needs (cookies, the proxy's header, the metrics token).
func withOpenQI(
    secureCookies: Bool = false, clientAddressHeader: String? = nil, metricsToken: String? = nil,
    _ body: (Application) async throws -> Void
) async throws {
    // The database is filled in once it is made.
    let configuration = OpenQIConfiguration(
        database: .sqliteMemory, secureCookies: secureCookies, clientAddressHeader: clientAddressHeader,
        metricsToken: metricsToken)
    guard TestDatabase.isPostgres else { return try await withFreshDatabase(configuration, body) }
    await TestDatabaseSlots.shared.acquire()
    do {
        try await withFreshDatabase(configuration, body)
        await TestDatabaseSlots.shared.release()
    } catch {
        await TestDatabaseSlots.shared.release()
        throw error
    }
}

private func withFreshDatabase(
    _ configuration: OpenQIConfiguration, _ body: (Application) async throws -> Void
) async throws {
    let database = try await TestDatabase.make()
    let app = try await Application.make(.testing)
    // Warnings and errors only: every test migrates a database, and a line per migration step
    // would bury what failed.
    app.logger.logLevel = .warning
    do {
        var configuration = configuration
        configuration.database = database.location
        try await configure(app, configuration)
        try await app.prepareDatabase()
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? await database.cleanUp()
        throw TestFailure(String(reflecting: error))
    }
    try await app.asyncShutdown()
    try await database.cleanUp()
}

/// An error whose description carries the full detail of what failed (PSQLError's own hides it).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

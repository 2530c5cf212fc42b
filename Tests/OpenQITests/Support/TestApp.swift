import Charts
import Fluent
import FluentPostgresDriver
import Foundation
import OpenQIDemo
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
    static func drop(_ name: String, on url: String) async throws {
        for attempt in 1...5 {
            do {
                try await PostgresAdmin(url: url).run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                return
            } catch  where attempt < 5 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    /// Creates a migrated database for one test, holding the demo organisation when asked, and
    /// returns where it is. On PostgreSQL it is a copy of a template made once for the whole run
    /// (`PostgresTemplate`), which takes a fraction of the time of running every migration again;
    /// on SQLite the demo is a copy of a file filled once (`SQLiteDemoFile`). Loading the demo
    /// takes seconds, a copy milliseconds.
    static func make(demo: Bool) async throws -> (
        location: DatabaseLocation, cleanUp: @Sendable () async throws -> Void
    ) {
        guard let url = postgresURL else {
            guard demo else { return (.sqliteMemory, {}) }
            let path = try await SQLiteDemoFile.shared.copy()
            return (.sqliteFile(path: path), { TestDatabase.removeSQLite(at: path) })
        }
        let template = try await (demo ? PostgresTemplate.demo : PostgresTemplate.migrated).name(on: url)
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

    /// Removes an SQLite database file and the files beside it (journal, shared memory, migration lock).
    static func removeSQLite(at path: String) {
        for suffix in ["", "-wal", "-shm", "-migrate.lock"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
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

/// A database PostgreSQL tests copy: made once per test run, on first use. `migrated` holds
/// every migration and nothing else; `demo` is a copy of it holding the demo organisation.
/// (`scripts/test` drops every `openqi_test_…` database, these too, before the next run.)
actor PostgresTemplate {
    static let migrated = PostgresTemplate(demo: false)
    static let demo = PostgresTemplate(demo: true)

    private let holdsDemo: Bool
    private var made: Task<String, any Error>?

    private init(demo: Bool) { holdsDemo = demo }

    func name(on url: String) async throws -> String {
        if let made { return try await made.value }
        let holdsDemo = holdsDemo
        let task = Task { try await Self.make(demo: holdsDemo, on: url) }
        made = task
        return try await task.value
    }

    private static func make(demo: Bool, on url: String) async throws -> String {
        let name = TestDatabase.uniqueName()
        if demo {
            let migrated = try await migrated.name(on: url)
            try await PostgresAdmin(url: url).run("CREATE DATABASE \(name) TEMPLATE \(migrated)")
        } else {
            try await PostgresAdmin(url: url).run("CREATE DATABASE \(name)")
        }
        // Every connection to the template is closed once this returns: PostgreSQL copies only a
        // database nobody is using.
        try await fill(.postgres(url: TestDatabase.url(url, database: name)), demo: demo)
        return name
    }
}

/// The SQLite file holding the demo organisation that SQLite tests asking for the demo copy:
/// filled once per test run, on first use, and removed when the run ends.
actor SQLiteDemoFile {
    static let shared = SQLiteDemoFile()

    /// Named by the process, so that `atexit` can find it without capturing anything.
    private static let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("openqi-test-demo-\(ProcessInfo.processInfo.processIdentifier).sqlite").path

    private var made: Task<Void, any Error>?

    /// A fresh copy of the demo file, for one test.
    func copy() async throws -> String {
        if made == nil {
            made = Task {
                try await fill(.sqliteFile(path: Self.path), demo: true)
                atexit { TestDatabase.removeSQLite(at: SQLiteDemoFile.path) }
            }
        }
        try await made!.value
        let copy = FileManager.default.temporaryDirectory
            .appendingPathComponent("openqi-test-\(UUID().uuidString).sqlite").path
        // The journal too, should one be left: SQLite replays it on opening the copy.
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: Self.path + suffix) {
            try FileManager.default.copyItem(atPath: Self.path + suffix, toPath: copy + suffix)
        }
        return copy
    }

}

/// Migrates the database at `location`, loads the demo organisation into it when asked, and
/// closes every connection to it.
private func fill(_ location: DatabaseLocation, demo: Bool) async throws {
    let app = try await configuredApplication(OpenQIConfiguration(database: location))
    do {
        try await app.prepareDatabase()
        // Loading into an empty database answers true; the demo's own test relies on this check.
        if demo, try await !app.loadDemoOrganisation(size: .small) {
            throw TestFailure("The demo was not loaded into an empty database")
        }
    } catch {
        try? await app.asyncShutdown()
        throw TestFailure(String(reflecting: error))
    }
    try await app.asyncShutdown()
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

/// An OpenQI application on a fresh, migrated test database (holding the small demo organisation
/// when `demo` is set), shut down (and its database dropped) afterwards, configured as a test
/// needs (cookies, the proxy's header, the metrics token, single sign-on).
func withOpenQI(
    demo: Bool = false, secureCookies: Bool = false, clientAddressHeader: String? = nil,
    metricsToken: String? = nil, singleSignOn: SingleSignOnSettings? = nil, dateOrder: DateOrder = .dayMonthYear,
    _ body: (Application) async throws -> Void
) async throws {
    // The database is filled in once it is made.
    let configuration = OpenQIConfiguration(
        database: .sqliteMemory, secureCookies: secureCookies, clientAddressHeader: clientAddressHeader,
        metricsToken: metricsToken, singleSignOn: singleSignOn, dateOrder: dateOrder)
    guard TestDatabase.isPostgres else { return try await withFreshDatabase(configuration, demo: demo, body) }
    await TestDatabaseSlots.shared.acquire()
    do {
        try await withFreshDatabase(configuration, demo: demo, body)
        await TestDatabaseSlots.shared.release()
    } catch {
        await TestDatabaseSlots.shared.release()
        throw error
    }
}

private func withFreshDatabase(
    _ configuration: OpenQIConfiguration, demo: Bool, _ body: (Application) async throws -> Void
) async throws {
    let database = try await TestDatabase.make(demo: demo)
    var configuration = configuration
    configuration.database = database.location
    let app: Application
    do {
        app = try await configuredApplication(configuration)
    } catch {
        try? await database.cleanUp()
        throw TestFailure(String(reflecting: error))
    }
    do {
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

/// An application configured as `configuration` says, its database not yet migrated, logging
/// warnings and errors only: every test migrates or fills a database, and a line per step would
/// bury what failed.
func configuredApplication(_ configuration: OpenQIConfiguration) async throws -> Application {
    // Many applications run at once, each on its own PostgreSQL database: one connection a core
    // each keeps them all under the server's 100.
    var configuration = configuration
    configuration.postgresConnectionsPerCore = 1
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        try await configure(app, configuration)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    return app
}

/// An error whose description carries the full detail of what failed (PSQLError's own hides it).
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

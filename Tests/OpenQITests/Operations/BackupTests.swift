import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import OpenQI

/// `openqi backup`, `restore` and `check`, on both databases.
@Suite("Backup and restore", .serialized)
struct BackupTests {
    /// Points a writer adds in each transaction.
    static let batch = 50

    @Test("a backup taken during writes restores whole transactions only; one taken after them restores every row")
    func duringWrites() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let measure = try await Fixtures(app: app).measure("Falls", unit: world.willow)
            let measureID = try measure.requireID()
            let location = app.openQIConfiguration.database
            let start = try #require(CalendarDay.date("2000-01-03"))
            // Each transaction adds 50 new weeks of points, until told to stop.
            let stop = NIOLockedValueBox(false)
            let writer = Task {
                var batches = 0
                while !stop.withLockedValue({ $0 }) && batches < 40 {
                    let first = batches * Self.batch
                    let points = (first..<first + Self.batch).map { week -> DataPoint in
                        let period = start.addingTimeInterval(TimeInterval(week) * 7 * 86_400)
                        return DataPoint(
                            measureID: measureID, period: period, value: Double(week), denominator: nil,
                            note: "batch \(batches)")
                    }
                    // Fluent's own transaction (OpenQI's, of the same name, is ambiguous from here).
                    try await app.db.transaction { db in
                        db.eventLoop.makeFutureWithTask { try await DataPoint.upsert(points, on: db) }
                    }.get()
                    batches += 1
                }
                return batches
            }
            // Bounded: a writer that stalls fails the test rather than hanging the run.
            let deadline = ContinuousClock.now + .seconds(60)
            while try await DataPoint.count(on: app.db) < 3 * Self.batch {
                guard ContinuousClock.now < deadline else { throw TestFailure("the writer wrote nothing for 60 s") }
                try await Task.sleep(for: .milliseconds(5))
            }
            let during = Self.file("during")
            try await DatabaseBackup.backup(app.db, location: location, to: during)
            stop.withLockedValue { $0 = true }
            let batches = try await writer.value
            #expect(batches >= 3)

            try await Self.restored(during, like: location) { restored in
                let points = try await DataPoint.count(on: restored)
                #expect(points >= 3 * Self.batch && points % Self.batch == 0, "\(points) points: whole transactions")
                for table in try await DatabaseBackup.tableNames(app.db) {
                    let kept = try await Self.rows(table, in: restored)
                    #expect(kept.isSubset(of: try await Self.rows(table, in: app.db)), "\(table): nothing invented")
                }
            }
            let after = Self.file("after")
            try await DatabaseBackup.backup(app.db, location: location, to: after)
            try await Self.restored(after, like: location) { restored in
                let tables = try await DatabaseBackup.tableNames(app.db)
                #expect(try await DatabaseBackup.tableNames(restored) == tables)
                // Every table, not just the ones this test writes to: the accounts, sessions and audit trail too.
                for table in [
                    DataPoint.schema, Account.schema, AccountSession.schema, AuditEntry.schema, "_fluent_migrations",
                ] {
                    #expect(tables.contains(table), "\(table)")
                }
                for table in tables {
                    let a = try await Self.rows(table, in: restored)
                    let b = try await Self.rows(table, in: app.db)
                    #expect(a == b, "\(table) \(a.subtracting(b).prefix(3)) \(b.subtracting(a).prefix(3))")
                }
                #expect(try await DataPoint.count(on: restored) == batches * Self.batch)
                let check = try await DatabaseBackup.check(restored, location: location)
                #expect(check.problems.isEmpty && check.pendingMigrations.isEmpty)
            }
            for file in [during, after] { try? FileManager.default.removeItem(atPath: file) }
        }
    }

    @Test("a backup never overwrites a file, a restore never writes over tables, and check reports what to run")
    func refusals() async throws {
        try await withOpenQI { app in
            let location = app.openQIConfiguration.database
            let file = Self.file("existing")
            FileManager.default.createFile(atPath: file, contents: Data("keep me".utf8))
            let overwrite = await #expect(throws: DatabaseBackup.Failure.self) {
                try await DatabaseBackup.backup(app.db, location: location, to: file)
            }
            #expect(overwrite?.description.contains("already exists") == true)
            #expect(FileManager.default.contents(atPath: file) == Data("keep me".utf8))
            try FileManager.default.removeItem(atPath: file)

            try await DatabaseBackup.backup(app.db, location: location, to: file)
            let filled = await #expect(throws: DatabaseBackup.Failure.self) {
                try await DatabaseBackup.restore(file, into: app.db, location: location)
            }
            let tables = try await DatabaseBackup.tableNames(app.db).count
            #expect(filled?.description.contains("already holds \(tables) tables") == true)
            // An empty database (a mistyped SQLite path creates one) is neither backed up nor passed.
            let (empty, dropEmpty) = try await InstancesTests.emptyDatabase()
            let other = try await configuredApplication(OpenQIConfiguration(database: empty))
            let nothing = await #expect(throws: DatabaseBackup.Failure.self) {
                try await DatabaseBackup.backup(other.db, location: empty, to: Self.file("nothing"))
            }
            #expect(nothing?.description.contains("holds no tables") == true)
            #expect(try await DatabaseBackup.check(other.db, location: empty).problems.count == 1)
            try await other.asyncShutdown()
            try await dropEmpty()
            try await Self.restored(file, like: location) { restored in
                try await restored.sql.raw("DELETE FROM _fluent_migrations WHERE name LIKE '%AddExpiryToAPITokens'")
                    .run()
                let check = try await DatabaseBackup.check(restored, location: location)
                #expect(check.pendingMigrations == [AddExpiryToAPITokens().name] && check.problems.isEmpty)
            }
            try? FileManager.default.removeItem(atPath: file)
        }
    }

    @Test(
        "pg_dump and pg_restore are told the server by PG* variables, read as OpenQI reads DATABASE_URL, never with the password on their command line"
    )
    func postgresToolEnvironment() throws {
        let base = ["PATH": "/usr/bin", "PGSERVICE": "stray"]
        let plain = try PostgresTool.connectionEnvironment(
            "postgres://qi:s%40cret@db.internal:5433/openqi?sslmode=disable", base: base)
        #expect(plain["PGHOST"] == "db.internal" && plain["PGPORT"] == "5433")
        #expect(plain["PGUSER"] == "qi" && plain["PGPASSWORD"] == "s@cret" && plain["PGDATABASE"] == "openqi")
        #expect(plain["PGSSLMODE"] == "disable" && plain["PATH"] == "/usr/bin")
        #expect(plain["PGSERVICE"] == nil, "no other PG setting may redirect the copy")
        // Forms only Vapor knows, which libpq would refuse as a connection string.
        let vapor = try PostgresTool.connectionEnvironment(
            "postgres+tcp://qi:pw@10.0.0.5:5432/openqi?tlsmode=require", base: base)
        #expect(vapor["PGHOST"] == "10.0.0.5" && vapor["PGSSLMODE"] == "require" && vapor["PGDATABASE"] == "openqi")
        #expect(throws: DatabaseBackup.Failure.self) { try PostgresTool.connectionEnvironment("mysql://x", base: base) }
    }

    @Test("check reports a row that names a row that does not exist (SQLite, where enforcement can be off)")
    func checkFindsOrphans() async throws {
        try await withOpenQI { app in
            guard !TestDatabase.isPostgres else { return }
            let orphan = UUID()
            try await app.db.withConnection { db in
                db.eventLoop.makeFutureWithTask {
                    try await db.sql.raw("PRAGMA foreign_keys = OFF").run()
                    try await db.sql.raw(
                        "INSERT INTO units (id, name, kind, parent_id) VALUES (\(bind: UUID()), 'Lost', 'ward', \(bind: orphan))"
                    ).run()
                    try await db.sql.raw("PRAGMA foreign_keys = ON").run()
                }
            }.get()
            let check = try await DatabaseBackup.check(app.db, location: app.openQIConfiguration.database)
            #expect(check.problems == ["1 rows name a row that does not exist"])
        }
    }

    static func file(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("openqi-backup-\(name)-\(UUID().uuidString)").path
    }

    /// Restores `file` into a new, empty database of the same kind as `location`, runs `body` on it,
    /// and removes it.
    static func restored(
        _ file: String, like location: DatabaseLocation, _ body: (any Database) async throws -> Void
    ) async throws {
        let target: DatabaseLocation
        let cleanUp: () async throws -> Void
        if case .postgres(let url) = location {
            let name = TestDatabase.uniqueName()
            let server = TestDatabase.url(url, database: "openqi_test")
            try await PostgresAdmin(url: server).run("CREATE DATABASE \(name)")
            target = .postgres(url: TestDatabase.url(url, database: name))
            cleanUp = { try await TestDatabase.drop(name, on: server) }
        } else {
            let path = Self.file("restored") + ".sqlite"
            target = .sqliteFile(path: path)
            cleanUp = { TestDatabase.removeSQLite(at: path) }
        }
        let app: Application
        do {
            app = try await configuredApplication(OpenQIConfiguration(database: target))
        } catch {
            try? await cleanUp()
            throw TestFailure(String(reflecting: error))
        }
        do {
            try await DatabaseBackup.restore(file, into: app.db, location: target)
            try await body(app.db)
        } catch {
            try? await app.asyncShutdown()
            try? await cleanUp()
            throw TestFailure(String(reflecting: error))
        }
        try await app.asyncShutdown()
        try await cleanUp()
    }

    /// Every row of a table, each written out in full as text, to compare two databases.
    static func rows(_ table: String, in db: any Database) async throws -> Set<String> {
        struct Row: Decodable { let row: String }
        if db is any PostgresDatabase {
            return Set(
                try await db.sql.raw("SELECT t::text AS row FROM \(ident: table) t").all(decoding: Row.self).map(\.row))
        }
        struct Column: Decodable { let name: String }
        let columns = try await db.sql.raw("PRAGMA table_info(\(ident: table))").all(decoding: Column.self)
        let quoted = columns.map { "quote(\"\($0.name)\")" }.joined(separator: " || '|' || ")
        return Set(
            try await db.sql.raw(SQLQueryString("SELECT \(quoted) AS row FROM \"\(table)\"")).all(decoding: Row.self)
                .map(\.row))
    }
}

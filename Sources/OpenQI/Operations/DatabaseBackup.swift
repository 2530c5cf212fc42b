import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Consistent copies of an OpenQI database, made while the server runs, put back into an empty
/// database, and checked. Copying an SQLite file is not a backup: writes acknowledged since the
/// last checkpoint live in its `-wal` file, and a copy taken mid-write may be torn.
///
/// - SQLite: `VACUUM INTO`, which writes one self-contained file from a single read transaction.
/// - PostgreSQL: `pg_dump` in its custom format (one snapshot), and `pg_restore` in one transaction.
public enum DatabaseBackup {
    /// What went wrong, in words that say what to do.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes a consistent copy of the database to `file`, which must not exist yet.
    public static func backup(_ db: any Database, location: DatabaseLocation, to file: String) async throws {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw Failure("\(file) already exists. Choose a new file name, so no backup is overwritten.")
        }
        // A wrong path opens a new, empty SQLite file: backing that up every night would look fine.
        guard try await !tableNames(db).isEmpty else { throw Failure(noTables(location)) }
        switch location {
        case .sqliteFile, .sqliteMemory:
            try await db.sql.raw("VACUUM INTO \(bind: file)").run()
            let problems = try await withAttached(file, on: db) { try await sqliteProblems($0, schema: "backup") }
            guard problems.isEmpty else {
                // Nobody should mistake it for a backup, and the next attempt may use the name.
                try? FileManager.default.removeItem(atPath: file)
                throw Failure(
                    "The backup failed its integrity check and was deleted: \(problems.joined(separator: "; ")).")
            }
        case .postgres(let url):
            try await PostgresTool.run("pg_dump", ["--format=custom", "--file=\(file)"], url: url)
        }
    }

    /// Puts a backup back into an empty database: refused, changing nothing, when the database
    /// holds any table.
    public static func restore(_ file: String, into db: any Database, location: DatabaseLocation) async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw Failure("There is no file \(file).") }
        let tables = try await tableNames(db)
        guard tables.isEmpty else {
            throw Failure(
                "The database (\(location.displayName)) already holds \(tables.count) tables. Restore into an "
                    + "empty database, so nothing in it is overwritten.")
        }
        switch location {
        case .sqliteFile:
            // The backup is a whole database: read from it and write it into the empty one.
            try await withAttached(file, on: db) { try await copyAttachedSQLite(into: $0) }
        case .sqliteMemory:
            throw Failure("Restore into an SQLite file or a PostgreSQL database, not into memory.")
        case .postgres(let url):
            try await PostgresTool.run(
                // An absolute path, so a file name starting with "-" cannot be read as an option.
                "pg_restore",
                [
                    "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                    URL(fileURLWithPath: file).path,
                ],
                url: url)
        }
    }

    /// Copies every table of the attached `backup` schema, in one transaction: every table is
    /// created before any row is copied, and foreign keys are checked at the end rather than row by
    /// row, since tables come in name order, not in the order they refer to each other.
    private static func copyAttachedSQLite(into db: any Database) async throws {
        struct Object: Decodable {
            let type: String
            let name: String
            let sql: String?
        }
        let objects = try await db.sql.raw(
            "SELECT type, name, sql FROM backup.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name"
        ).all(decoding: Object.self).map { (type: $0.type, name: $0.name, sql: $0.sql ?? "") }
        // Fluent's own transaction, not OpenQI's (`Database+Transaction.swift`): a restore copies the
        // organisation's revision as it was, rather than moving it on.
        try await db.transaction { db in db.eventLoop.makeFutureWithTask { try await copy(objects, into: db) } }.get()
    }

    private static func copy(_ objects: [(type: String, name: String, sql: String)], into db: any Database)
        async throws
    {
        try await db.sql.raw("PRAGMA defer_foreign_keys = ON").run()
        let tables = objects.filter { $0.type == "table" }
        for table in tables { try await db.sql.raw(SQLQueryString(table.sql)).run() }
        for table in tables {
            try await db.sql.raw("INSERT INTO \(ident: table.name) SELECT * FROM backup.\(ident: table.name)").run()
        }
        for object in objects where object.type != "table" { try await db.sql.raw(SQLQueryString(object.sql)).run() }
    }

    /// Everything `openqi check` found.
    public struct Check: Sendable {
        /// Each table and its number of rows.
        public var tables: [(name: String, rows: Int)]
        /// Migrations this version of OpenQI has that the database has not run, by name.
        public var pendingMigrations: [String]
        /// Integrity problems; empty when the database is sound.
        public var problems: [String]
    }

    /// Counts every table's rows and lists the migrations not yet run. On SQLite it also runs
    /// SQLite's integrity and foreign-key checks; on PostgreSQL, which enforces foreign keys
    /// itself, page-level checks are `pg_amcheck`'s job (README, Operations).
    public static func check(_ db: any Database, location: DatabaseLocation) async throws -> Check {
        var problems = db is any PostgresDatabase ? [] : try await sqliteProblems(db)
        let names = try await tableNames(db)
        if names.isEmpty { problems.append(noTables(location)) }
        var tables: [(String, Int)] = []
        for name in names {
            struct Count: Decodable { let rows: Int }
            let count = try await db.sql.raw("SELECT COUNT(*) AS \(ident: "rows") FROM \(ident: name)")
                .first(decoding: Count.self)
            tables.append((name, count?.rows ?? 0))
        }
        struct Ran: Decodable { let name: String }
        let ran =
            tables.contains { $0.0 == "_fluent_migrations" }
            ? Set(try await db.sql.raw("SELECT name FROM _fluent_migrations").all(decoding: Ran.self).map(\.name)) : []
        return Check(
            tables: tables, pendingMigrations: OpenQIMigrations.all.map(\.name).filter { !ran.contains($0) },
            problems: problems)
    }

    /// What to say of a database with no tables at all, where one was meant to be checked or kept.
    private static func noTables(_ location: DatabaseLocation) -> String {
        "\(location.displayName) holds no tables: is it the database OpenQI serves? Check --db, OPENQI_DB or DATABASE_URL."
    }

    /// The database's tables, in name order.
    static func tableNames(_ db: any Database) async throws -> [String] {
        struct Table: Decodable { let name: String }
        let query: SQLQueryString =
            db is any PostgresDatabase
            ? "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        return try await db.sql.raw(query).all(decoding: Table.self).map(\.name)
    }

    /// SQLite's integrity check and foreign-key check of a schema ("main", or an attached one), as
    /// sentences; empty when both pass.
    private static func sqliteProblems(_ db: any Database, schema: String = "main") async throws -> [String] {
        struct Integrity: Decodable { let integrity_check: String }
        let integrity = try await db.sql.raw("PRAGMA \(ident: schema).integrity_check").all(decoding: Integrity.self)
            .map(\.integrity_check).filter { $0 != "ok" }
        let orphans = try await db.sql.raw("PRAGMA \(ident: schema).foreign_key_check").all()
        return integrity + (orphans.isEmpty ? [] : ["\(orphans.count) rows name a row that does not exist"])
    }

    /// Runs `body` on one connection with the SQLite file `file` attached to it as `backup`. (An
    /// attachment belongs to a connection, and the pool has several.)
    private static func withAttached<Result: Sendable>(
        _ file: String, on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> Result
    ) async throws -> Result {
        try await db.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.sql.raw("ATTACH DATABASE \(bind: file) AS backup").run()
                do {
                    let result = try await body(connection)
                    try await connection.sql.raw("DETACH DATABASE backup").run()
                    return result
                } catch {
                    try? await connection.sql.raw("DETACH DATABASE backup").run()
                    throw error
                }
            }
        }.get()
    }
}

/// PostgreSQL's own client programs (`pg_dump`, `pg_restore`), told where the server is through
/// libpq's `PG*` variables, read from the URL as OpenQI itself reads it: so every form Vapor accepts
/// (`postgres+tcp://`, `?tlsmode=`, a Unix socket) works, and the password is never on the
/// process list, which every user of the machine can read.
enum PostgresTool {
    static func run(_ name: String, _ arguments: [String], url: String) async throws {
        guard let program = find(name) else {
            throw DatabaseBackup.Failure(
                "\(name) was not found. Install PostgreSQL's client programs (on Debian: apt install postgresql-client), "
                    + "of the server's major version or newer.")
        }
        let environment = try connectionEnvironment(url)
        // The wait blocks a thread: not one of the few that run every request.
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: program)
                    // pg_restore needs the database named; as a conninfo string, so no name is misread.
                    let database = (environment["PGDATABASE"] ?? "")
                        .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                    process.arguments = arguments + ["--dbname=dbname='\(database)'"]
                    process.environment = environment
                    let errors = Pipe()
                    process.standardError = errors
                    try process.run()
                    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else {
                        throw DatabaseBackup.Failure(
                            "\(name) failed: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
                    }
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
        }
    }

    /// This process's environment, with the server, user, password, database and TLS mode of `url`.
    static func connectionEnvironment(
        _ url: String, base: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String: String] {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        } catch {
            throw DatabaseBackup.Failure("DATABASE_URL could not be read as a PostgreSQL address: \(error).")
        }
        var environment = base.filter { !$0.key.hasPrefix("PG") }
        if let socket = configuration.unixSocketPath {
            // libpq takes the socket's directory, and finds the file by the port's number.
            let path = URL(fileURLWithPath: socket)
            environment["PGHOST"] = path.deletingLastPathComponent().path
            if let port = path.lastPathComponent.split(separator: ".").last.flatMap({ Int($0) }) {
                environment["PGPORT"] = String(port)
            }
        } else {
            environment["PGHOST"] = configuration.host
            environment["PGPORT"] = configuration.port.map(String.init)
        }
        environment["PGUSER"] = configuration.username
        environment["PGPASSWORD"] = configuration.password
        environment["PGDATABASE"] = configuration.database
        environment["PGSSLMODE"] =
            configuration.tls.isEnforced ? "require" : configuration.tls.isAllowed ? "prefer" : "disable"
        return environment
    }

    /// The program on the PATH, or else in the newest PostgreSQL installed where Debian puts it.
    static func find(_ name: String) -> String? {
        let manager = FileManager.default
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") where manager.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        let versions = (try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if manager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

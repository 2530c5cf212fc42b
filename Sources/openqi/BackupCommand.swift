import ArgumentParser
import Foundation
import OpenQI

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database to a new file, while the server runs.",
        discussion: """
            SQLite: one self-contained file (VACUUM INTO), checked once written. Copying the .sqlite
            file alone is not a backup: acknowledged writes may still be in its -wal file.
            PostgreSQL: pg_dump's custom format (pg_dump must be installed, of the server's version or newer).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Option(help: "The file to write; it must not exist yet.")
    var to: String

    func run() async throws {
        let location = database.location
        try await withApplication(database, migrate: false) { app in
            try await DatabaseBackup.backup(app.db, location: location, to: to)
        }
        print("Backed up \(location.displayName) to \(to).")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made by openqi backup into an empty database.",
        discussion: "Refused, changing nothing, when the database already holds any table. Stop the server first."
    )

    @OptionGroup var database: DatabaseOptions

    @ArgumentParser.Argument(help: "The backup file.")
    var file: String

    func run() async throws {
        let location = database.location
        try await withApplication(database, migrate: false) { app in
            try await DatabaseBackup.restore(file, into: app.db, location: location)
        }
        print("Restored \(file) into \(location.displayName). Run openqi check to confirm it.")
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database: every table read in full, SQLite's integrity checks, migrations to run.",
        discussion: "Exits with status 1 when a problem is found."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let location = database.location
        let check = try await withApplication(database, migrate: false) { app in
            try await DatabaseBackup.check(app.db, location: location)
        }
        for table in check.tables { print("\(table.name): \(table.rows) rows") }
        if !check.pendingMigrations.isEmpty {
            print(
                "\(check.pendingMigrations.count) migrations to run (\(check.pendingMigrations.joined(separator: ", "))): "
                    + "openqi migrate (or serve) runs them.")
        }
        guard check.problems.isEmpty else {
            for problem in check.problems { print("Problem: \(problem)") }
            throw ExitCode(1)
        }
        print("\(location.displayName): no problems found in \(check.tables.count) tables.")
    }
}

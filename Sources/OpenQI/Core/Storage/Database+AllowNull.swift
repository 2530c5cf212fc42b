import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit

extension Database {
    /// Lets `column` of `table` be empty, keeping every row, index and foreign key.
    ///
    /// PostgreSQL drops the constraint in place. SQLite cannot alter a column, so the table is made
    /// again as its documentation prescribes (https://www.sqlite.org/lang_altertable.html, "Making
    /// Other Kinds Of Table Schema Changes"): on one connection, with foreign keys off, create the
    /// new table from the old one's own definition, copy the rows, drop the old table, rename the
    /// new one, make its indexes again, and check every foreign key before committing.
    func allowNull(_ column: String, in table: String) async throws {
        guard self is any SQLiteDatabase else {
            try await sql.raw("ALTER TABLE \(ident: table) ALTER COLUMN \(ident: column) DROP NOT NULL").run()
            return
        }
        try await withConnection { connection in
            try await SQLiteTableRebuild.rebuild(table, allowingNullIn: column, on: connection.sql)
        }
    }
}

private enum SQLiteTableRebuild {
    struct SchemaObject: Decodable {
        let type: String
        let sql: String
    }

    static func rebuild(_ table: String, allowingNullIn column: String, on sql: any SQLDatabase)
        async throws
    {
        let objects = try await sql.raw(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = \(bind: table) AND sql IS NOT NULL"
        ).all(decoding: SchemaObject.self)
        guard let definition = objects.first(where: { $0.type == "table" })?.sql else {
            throw SQLiteRebuildFailure(reason: "There is no table \(table).")
        }
        // Fluent writes a column as `"name" TYPE NOT NULL …`. A column that is not required already
        // allows empty values; one that matches twice is not a definition this understands.
        let required = try Regex("\"\(column)\" ([A-Z]+) NOT NULL")
        let matches = definition.matches(of: required).count
        if matches == 0 { return }
        guard matches == 1 else {
            throw SQLiteRebuildFailure(reason: "\(table).\(column) is defined more than once.")
        }
        let rebuilt = "\(table)_rebuilt"
        // The table's name, quoted or not, as SQLite keeps what created it.
        let named = try Regex("^CREATE TABLE \"?\(table)\"? ")
        guard definition.firstMatch(of: named) != nil else {
            throw SQLiteRebuildFailure(reason: "\(table) is not defined as this expects.")
        }
        let newDefinition = definition.replacing(required) { "\"\(column)\" \($0.output[1].substring ?? "")" }
            .replacing(named, with: "CREATE TABLE \"\(rebuilt)\" ", maxReplacements: 1)
        let indexes = objects.filter { $0.type == "index" }.map(\.sql)

        // Foreign keys can only be switched off outside a transaction.
        try await sql.raw("PRAGMA foreign_keys = OFF").run()
        do {
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                try await sql.raw(SQLQueryString(newDefinition)).run()
                try await sql.raw("INSERT INTO \(ident: rebuilt) SELECT * FROM \(ident: table)").run()
                try await sql.raw("DROP TABLE \(ident: table)").run()
                try await sql.raw("ALTER TABLE \(ident: rebuilt) RENAME TO \(ident: table)").run()
                for index in indexes { try await sql.raw(SQLQueryString(index)).run() }
                let broken = try await sql.raw("PRAGMA foreign_key_check").all()
                guard broken.isEmpty else {
                    throw SQLiteRebuildFailure(reason: "\(broken.count) rows would name a row that does not exist.")
                }
                try await sql.raw("COMMIT").run()
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        } catch {
            try? await sql.raw("PRAGMA foreign_keys = ON").run()
            throw error
        }
        try await sql.raw("PRAGMA foreign_keys = ON").run()
    }
}

/// Why an SQLite table could not be made again; the migration stops with nothing changed.
struct SQLiteRebuildFailure: Error, CustomStringConvertible {
    let reason: String
    var description: String { "Could not rebuild an SQLite table: \(reason)" }
}

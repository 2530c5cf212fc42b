import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit

extension Database {
    /// Lets `column` of `table` be empty, keeping every row, index and foreign key.
    func allowNull(_ column: String, in table: String) async throws {
        try await setRequired(false, column, in: table)
    }

    /// Requires `column` of `table` again (a migration's revert); every row must have a value.
    func requireValue(_ column: String, in table: String) async throws {
        try await setRequired(true, column, in: table)
    }

    /// PostgreSQL alters the column in place. SQLite cannot alter a column, so the table is made
    /// again as its documentation prescribes (https://www.sqlite.org/lang_altertable.html, "Making
    /// Other Kinds Of Table Schema Changes"): on one connection, with foreign keys off, create the
    /// new table from the old one's own definition, copy the rows, drop the old table, rename the
    /// new one, make its indexes again, and check its foreign keys before committing.
    private func setRequired(_ required: Bool, _ column: String, in table: String) async throws {
        guard self is any SQLiteDatabase else {
            try await sql.raw(
                "ALTER TABLE \(ident: table) ALTER COLUMN \(ident: column) \(unsafeRaw: required ? "SET" : "DROP") NOT NULL"
            ).run()
            return
        }
        try await withConnection { connection in
            try await SQLiteTableRebuild.rebuild(table, column: column, required: required, on: connection.sql)
        }
    }
}

private enum SQLiteTableRebuild {
    struct SchemaObject: Decodable {
        let type: String
        let sql: String
    }

    struct ColumnInfo: Decodable {
        let name: String
        let notnull: Int
    }

    static func rebuild(_ table: String, column: String, required: Bool, on sql: any SQLDatabase) async throws {
        let columns = try await sql.raw("SELECT name, \"notnull\" FROM pragma_table_info(\(bind: table))")
            .all(decoding: ColumnInfo.self)
        guard let info = columns.first(where: { $0.name == column }) else {
            throw SQLiteRebuildFailure(reason: "\(table) has no column \(column).")
        }
        // Already as asked: nothing to do (a migration run again after a partial failure).
        if (info.notnull != 0) == required { return }
        let objects = try await sql.raw(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = \(bind: table) AND sql IS NOT NULL"
        ).all(decoding: SchemaObject.self)
        guard let definition = objects.first(where: { $0.type == "table" })?.sql else {
            throw SQLiteRebuildFailure(reason: "There is no table \(table).")
        }
        // Fluent writes a column as `"name" TYPE NOT NULL …`; the table's name may be quoted or not.
        let named = try Regex("^CREATE TABLE \"?\(table)\"? ")
        let typed = try Regex(
            required ? "\"\(column)\" ([A-Z]+)\\b(?! NOT NULL)" : "\"\(column)\" ([A-Z]+) NOT NULL")
        guard definition.firstMatch(of: named) != nil, definition.matches(of: typed).count == 1 else {
            throw SQLiteRebuildFailure(reason: "\(table).\(column) is not defined as this expects: \(definition)")
        }
        let rebuilt = "\(table)_rebuilt"
        let newDefinition = definition.replacing(typed, maxReplacements: 1) { match in
            "\"\(column)\" \(match.output[1].substring ?? "")" + (required ? " NOT NULL" : "")
        }
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
                // The rows copied keep their ids, so what refers to them still finds them; what
                // they refer to is checked here (this table's own, not the whole database's).
                let broken = try await sql.raw("SELECT * FROM pragma_foreign_key_check(\(bind: table))").all()
                guard broken.isEmpty else {
                    throw SQLiteRebuildFailure(
                        reason: "\(broken.count) rows of \(table) name a row that does not exist.")
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

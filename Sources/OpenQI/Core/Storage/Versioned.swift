import Fluent
import SQLKit
import Vapor

/// A record people edit in a form. Its version moves on with every edit, and an edit names the
/// version it began from, so that when two people edit at once the second is told what changed
/// and keeps their text, rather than silently overwriting the first.
protocol Versioned: Model where IDValue == UUID {
    var version: Int { get set }
}

/// Someone saved the record after this edit began; `saved` is the record as it is now.
struct EditConflict<Record: Versioned>: Error {
    let saved: Record
}

extension Versioned {
    /// Inside the transaction of an edit that began at version `expected`: moves the stored
    /// version on, or throws `EditConflict` when it is no longer `expected`. One statement, so of
    /// two edits that began at the same version only one passes.
    func claimNextVersion(after expected: Int, on db: any Database) async throws {
        let claimed = try await db.sql.raw(
            """
            UPDATE \(ident: Self.schema) SET version = version + 1
            WHERE id = \(bind: requireID()) AND version = \(bind: expected) RETURNING version
            """
        ).first(decoding: ClaimedVersion.self)
        guard let claimed else {
            guard let saved = try await Self.find(requireID(), on: db) else { throw NotFound("record") }
            throw EditConflict(saved: saved)
        }
        version = claimed.version
    }
}

private struct ClaimedVersion: Decodable {
    let version: Int
}

extension EditConflict {
    /// The API's answer to an edit that began from `version` when the record has moved on: 409,
    /// naming both versions and what to do.
    func refusal(of record: String, from version: Int) -> Abort {
        Abort(
            .conflict,
            reason: "Someone saved this \(record) after the version this change began from (\(version)); "
                + "it is now at version \(saved.version). "
                + "Read it again, make the change to what is there now, and send that version.")
    }
}

/// Gives an existing table the `version` column of a `Versioned` record; its rows start at 1.
struct AddVersion<Record: Versioned>: AsyncMigration {
    var name: String { "AddVersionTo.\(Record.schema)" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Record.schema).field("version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Record.schema).deleteField("version").update()
    }
}

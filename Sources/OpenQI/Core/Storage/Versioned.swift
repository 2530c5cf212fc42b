import Fluent
import SQLKit

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

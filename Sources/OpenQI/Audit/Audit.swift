import Fluent
import Foundation

/// The record an audit entry is about.
package struct AuditSubject: Sendable {
    let kind: String
    let id: UUID?
    let name: String
    /// The unit the record belongs to, so unit administrators see the entries for their part of the tree.
    let unitID: UUID?
    /// The project the record is part of (the project itself, its team, diagram, cycles, measures,
    /// stories), so the project page shows its own trail.
    var projectID: UUID? = nil
}

/// A model whose changes are audited: it names itself and lists its fields as text.
protocol Auditable {
    var auditSubject: AuditSubject { get }
    var auditFields: [String: String] { get }
}

/// Who is acting: a signed-in account, or the command line (which has no account).
package struct Actor: Sendable, Equatable {
    let accountID: UUID?
    let name: String

    package static let commandLine = Actor(accountID: nil, name: "openqi command line")
}

extension Auditable where Self: Model {
    /// Saves the record and its audit entry in one transaction; `alongside` runs in the same
    /// transaction for changes that go with it.
    ///
    /// An edit of a `Versioned` record names the version it began from (`expecting`): it is saved
    /// only if nobody saved the record since, and throws `EditConflict` otherwise.
    func saveAudited(
        _ action: AuditAction, by actor: Actor, before: [String: String] = [:], expecting version: Int? = nil,
        on db: any Database, alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in }
    ) async throws {
        try await db.transaction { db in
            if let version, let record = self as? any Versioned {
                try await record.claimNextVersion(after: version, on: db)
            }
            try await self.save(on: db)
            try await alongside(db)
            try await self.recordAudit(action, by: actor, before: before, on: db)
        }
    }
}

extension Auditable {
    /// Records `action` on this record, with the field values captured `before` the change.
    /// Call inside the transaction that makes the change.
    func recordAudit(
        _ action: AuditAction, by actor: Actor, before: [String: String] = [:], on db: any Database
    ) async throws {
        try await auditEntry(action, by: actor, before: before).create(on: db)
    }

    /// The entry `recordAudit` saves, for saving many in one statement.
    func auditEntry(_ action: AuditAction, by actor: Actor, before: [String: String] = [:]) -> AuditEntry {
        // A revoked grant or a removed team member no longer exists, so there is nothing "after".
        let after = action == .revoke || action == .remove ? [:] : auditFields
        return AuditEntry(
            occurredAt: AppClock.now, actorAccountID: actor.accountID, actorName: actor.name, action: action,
            subject: auditSubject, before: before, after: after)
    }
}

/// A record archived and restored rather than deleted, because other records name it (a unit, an
/// objective, a priority).
protocol Archivable: Auditable, Model {
    var archivedAt: Date? { get set }
}

extension Archivable {
    /// Archives or restores the record, audited, in one transaction. A versioned record's version
    /// moves on, so an edit that began before it (an API client's PUT) cannot quietly undo it.
    func setArchived(_ archived: Bool, by actor: Actor, on db: any Database) async throws {
        let before = auditFields
        archivedAt = archived ? AppClock.now : nil
        try await saveAudited(
            archived ? .archive : .restore, by: actor, before: before,
            expecting: (self as? any Versioned)?.version, on: db)
    }
}

import Fluent
import Foundation
import SQLKit

/// What happened to a record.
package enum AuditAction: String, Codable, CaseIterable, Sendable {
    case create, update, archive, restore, grant, revoke, remove
    case issueSignIn = "issue_sign_in"
    case changePassword = "change_password"

    var label: String {
        switch self {
        case .create: "created"
        case .update: "updated"
        case .archive: "archived"
        case .restore: "restored"
        case .grant: "granted"
        case .revoke: "revoked"
        case .remove: "removed"
        case .issueSignIn: "issued a sign-in for"
        case .changePassword: "changed the password of"
        }
    }
}

/// One line of the audit trail: who did what to which record, when, and the values before and after.
/// Written in the same transaction as the change it records, so the two cannot disagree.
package final class AuditEntry: Model, @unchecked Sendable {
    package static let schema = "audit_entries"

    @ID(key: .id) package var id: UUID?
    @Field(key: "occurred_at") package var occurredAt: Date
    @OptionalField(key: "actor_account_id") package var actorAccountID: UUID?
    @Field(key: "actor_name") package var actorName: String
    @Field(key: "action") package var action: String
    @Field(key: "subject_kind") package var subjectKind: String
    @OptionalField(key: "subject_id") package var subjectID: UUID?
    @Field(key: "subject_name") package var subjectName: String
    @OptionalField(key: "unit_id") package var unitID: UUID?
    @OptionalField(key: "project_id") package var projectID: UUID?
    /// Field values before and after, as JSON objects of strings (empty for a create / after a delete).
    @Field(key: "before") package var before: [String: String]
    @Field(key: "after") package var after: [String: String]

    package init() {}

    package init(
        occurredAt: Date, actorAccountID: UUID?, actorName: String, action: AuditAction,
        subject: AuditSubject, before: [String: String], after: [String: String]
    ) {
        self.occurredAt = occurredAt
        self.actorAccountID = actorAccountID
        self.actorName = actorName
        self.action = action.rawValue
        self.subjectKind = subject.kind
        self.subjectID = subject.id
        self.subjectName = subject.name
        self.unitID = subject.unitID
        self.projectID = subject.projectID
        self.before = before
        self.after = after
    }

    /// The latest entry about a record: who changed it last, and when.
    static func latest(about subjectID: UUID, on db: any Database) async throws -> AuditEntry? {
        try await query(on: db).filter(\.$subjectID == subjectID).sort(\.$occurredAt, .descending).first()
    }

    /// Writes many entries in a few statements, as a bulk data load makes them: saving them as
    /// models costs more per entry than the load costs per measure.
    static func record(_ entries: [AuditEntry], on db: any Database) async throws {
        // Twelve values a row, 500 rows a statement: inside both databases' limits on bound values.
        for batch in entries.chunked(into: 500) {
            let insert = db.sql.insert(into: schema).columns(
                "id", "occurred_at", "actor_account_id", "actor_name", "action", "subject_kind", "subject_id",
                "subject_name", "unit_id", "project_id", "before", "after")
            for entry in batch {
                insert.values(
                    entry.id ?? UUID(), entry.occurredAt, entry.actorAccountID, entry.actorName, entry.action,
                    entry.subjectKind, entry.subjectID, entry.subjectName, entry.unitID, entry.projectID, entry.before,
                    entry.after)
            }
            try await insert.run()
        }
    }

    /// The fields whose values differ, in name order.
    var changedFields: [(field: String, before: String?, after: String?)] {
        Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : (key, before[key], after[key])
        }
    }
}

struct CreateAuditEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field("occurred_at", .datetime, .required)
            .field("actor_account_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid)
            .field("subject_name", .string, .required)
            .field("unit_id", .uuid)
            .field("before", .dictionary(of: .string), .required)
            .field("after", .dictionary(of: .string), .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
    }
}

/// Audit entries name the project they belong to, indexed, for the trail on the project page.
struct AddProjectToAuditEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).field("project_id", .uuid).update()
        // Both drivers OpenQI runs on are SQL databases.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_entries_project_id").on(AuditEntry.schema).column("project_id").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "audit_entries_project_id").run() }
        try await database.schema(AuditEntry.schema).deleteField("project_id").update()
    }
}

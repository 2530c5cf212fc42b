import Fluent
import Foundation

/// Who a person is to the organisation. Service users and carers are equal members of QI teams.
package enum PersonKind: String, Codable, CaseIterable, FormChoice, Sendable {
    case staff
    case serviceUser = "service_user"
    case carer
    case partner

    var label: String {
        switch self {
        case .staff: "Staff"
        case .serviceUser: "Service user"
        case .carer: "Carer"
        case .partner: "Partner"
        }
    }
}

/// Anyone who takes part in improvement: staff, service users, carers and partners.
/// A person may have a sign-in (an `Account`); many do not. Archived, never deleted.
package final class Person: Model, @unchecked Sendable {
    package static let schema = "people"

    @ID(key: .id) package var id: UUID?
    @Field(key: "full_name") package var fullName: String
    @OptionalField(key: "email") package var email: String?
    @Enum(key: "kind") package var kind: PersonKind
    /// Nil only for the first administrator, created from the command line before any unit exists.
    @OptionalParent(key: "unit_id") package var unit: Unit?
    @OptionalField(key: "job_title") package var jobTitle: String?
    /// How many active projects a coach or improvement advisor can support at once; nil for the usual.
    @OptionalField(key: "coaching_capacity") package var coachingCapacity: Int?
    /// The day they joined the organisation: new starters are asked to take the introductory course
    /// within three months.
    @OptionalField(key: "started_on") package var startedOn: Date?
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    /// Who invited the person onto a project team, when a lead added a service user or carer not
    /// yet on the People list; nil for everyone added by those who manage people.
    @OptionalParent(key: "invited_by_id") package var invitedBy: Person?
    /// When someone who manages the unit's people approved an invited person's record.
    @OptionalField(key: "approved_at") package var approvedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Moves on with every edit of the record (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(
        id: UUID? = nil, fullName: String, email: String?, kind: PersonKind, unitID: UUID?, jobTitle: String? = nil
    ) {
        self.id = id
        self.fullName = fullName
        self.email = email
        self.kind = kind
        self.$unit.id = unitID
        self.jobTitle = jobTitle
        self.version = 1
    }

    var isArchived: Bool { archivedAt != nil }

    /// Invited by a project lead and not yet approved (nor turned away, by archiving).
    var awaitsApproval: Bool { $invitedBy.id != nil && approvedAt == nil && !isArchived }

    /// ELFT's QI coaches give "two to four hours per week … to coach one or two teams in their local
    /// area" (ELFT's ten-year report, on the Improvement Coaching Programme).
    static let usualCoachingCapacity = 2
}

extension QueryBuilder where Model == Person {
    /// The records that await approval: `Person.awaitsApproval`, asked of the database.
    func awaitingApproval() -> Self {
        filter(\.$invitedBy.$id != nil).filter(\.$approvedAt == nil).filter(\.$archivedAt == nil)
    }
}

extension Person: Versioned {}

extension Person: Auditable {
    var auditSubject: AuditSubject { .init(kind: "person", id: id, name: fullName, unitID: $unit.id) }
    var auditFields: [String: String] {
        // Only an invited record carries "awaiting approval", so approving it reads as that change.
        (awaitsApproval ? ["awaiting_approval": "yes"] : [:]).merging([
            "full_name": fullName,
            "email": email ?? "",
            "kind": kind.rawValue,
            "unit": $unit.id?.uuidString ?? "",
            "job_title": jobTitle ?? "",
            "coaching_capacity": coachingCapacity.map(String.init) ?? "",
            "started_on": startedOn.map(CalendarDay.text) ?? "",
            "archived": isArchived ? "yes" : "no",
        ]) { $1 }
    }
}

/// Lets a project lead invite a service user or carer who is not yet on the People list, as a
/// record awaiting approval.
struct AddInvitationsToPeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds one at a time.
        try await database.schema(Person.schema)
            .field("invited_by_id", .uuid, .references(Person.schema, "id", onDelete: .setNull)).update()
        try await database.schema(Person.schema).field("approved_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).deleteField("approved_at").update()
        try await database.schema(Person.schema).deleteField("invited_by_id").update()
    }
}

struct AddCoachingCapacityToPeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema).field("coaching_capacity", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).deleteField("coaching_capacity").update()
    }
}

struct CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let kind = try await database.enum("person_kind")
            .case("staff").case("service_user").case("carer").case("partner")
            .create()
        try await database.schema(Person.schema)
            .id()
            .field("full_name", .string, .required)
            .field("email", .string)
            .field("kind", kind, .required)
            .field("unit_id", .uuid, .references(Unit.schema, "id", onDelete: .restrict))
            .field("job_title", .string)
            .field("archived_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
        try await database.enum("person_kind").delete()
    }
}

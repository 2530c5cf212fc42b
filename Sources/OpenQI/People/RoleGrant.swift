import Fluent
import Foundation

/// A QI role, granted to a person for a unit and inherited by everything below that unit.
package enum Role: String, Codable, CaseIterable, FormChoice, Sendable, Comparable {
    case admin
    case qiTeam = "qi_team"
    case forumChair = "forum_chair"
    case sponsor
    case coach
    /// Leads large-scale programmes' improvement science (IHI's Improvement Advisor).
    case improvementAdvisor = "improvement_advisor"
    /// Runs the organisation's training: courses, cohorts and the dosing plan.
    case capabilityLead = "capability_lead"
    /// A member of the board's executive, who visits teams on WalkRounds.
    case executive
    case member
    case viewer

    package var label: String {
        switch self {
        case .admin: "Administrator"
        case .qiTeam: "QI team"
        case .forumChair: "Forum chair"
        case .sponsor: "Sponsor"
        case .coach: "QI coach"
        case .improvementAdvisor: "Improvement advisor"
        case .capabilityLead: "Capability lead"
        case .executive: "Executive director"
        case .member: "Member"
        case .viewer: "Viewer"
        }
    }

    package static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// "This person is a coach for Community Health and everything below it."
package final class RoleGrant: Model, @unchecked Sendable {
    package static let schema = "role_grants"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "person_id") package var person: Person
    @Parent(key: "unit_id") package var unit: Unit
    @Enum(key: "role") package var role: Role
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(id: UUID? = nil, personID: UUID, unitID: UUID, role: Role) {
        self.id = id
        self.$person.id = personID
        self.$unit.id = unitID
        self.role = role
    }
}

extension RoleGrant {
    /// What the authorisation policy needs of a grant.
    package struct Scope: Sendable, Hashable {
        let unitID: UUID
        let role: Role
    }

    package var scope: Scope { Scope(unitID: $unit.id, role: role) }
}

extension Set<RoleGrant.Scope> {
    /// The roles these grants give at a unit: granted there or on any unit above it.
    package func roles(at unitID: UUID, in tree: UnitTree) -> Set<Role> {
        let chain = Set<UUID>(tree.selfAndAncestors(of: unitID))
        return Set<Role>(filter { chain.contains($0.unitID) }.map(\.role))
    }
}

extension RoleGrant {

    func auditing(personName: String) -> RoleGrantAudit {
        RoleGrantAudit(grant: self, personName: personName)
    }
}

/// A grant as the audit trail names it: "Coach for Ward 7 — Ada Lovelace".
struct RoleGrantAudit: Auditable {
    package let grant: RoleGrant
    package let personName: String

    package var auditSubject: AuditSubject {
        .init(kind: "role_grant", id: grant.id, name: "\(grant.role.label) — \(personName)", unitID: grant.$unit.id)
    }
    package var auditFields: [String: String] {
        ["person": grant.$person.id.uuidString, "unit": grant.$unit.id.uuidString, "role": grant.role.rawValue]
    }
}

struct CreateRoleGrants: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        let role = try await database.enum("role")
            .case("admin").case("qi_team").case("forum_chair").case("sponsor").case("coach").case("member").case(
                "viewer"
            )
            .create()
        try await database.schema(RoleGrant.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("role", role, .required)
            .field("created_at", .datetime)
            .unique(on: "person_id", "unit_id", "role")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema).delete()
        try await database.enum("role").delete()
    }
}

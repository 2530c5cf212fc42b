import Fluent
import Foundation
import Vapor

/// Where a large-scale programme or collaborative is in its life (after the ELFT report, chapter 6):
/// it is scoped, its theory of change designed, teams recruited, the changes delivered and spread,
/// and then evaluated.
package enum ProgrammeStage: String, Codable, CaseIterable, FormChoice, Sendable {
    case scope, design, recruit, deliver, evaluate

    var label: String {
        switch self {
        case .scope: "Scope"
        case .design: "Design"
        case .recruit: "Recruit"
        case .deliver: "Deliver"
        case .evaluate: "Evaluate"
        }
    }

    /// What happens in the stage, for the stage track on the programme's page.
    var summary: String {
        switch self {
        case .scope: "Agree the problem, the aim and who it is for."
        case .design: "Draw the theory of change and choose the measures every team counts."
        case .recruit: "Teams propose projects for the programme; their forums approve them."
        case .deliver: "Teams test changes, meet at learning sessions and spread what works."
        case .evaluate: "Compare before and after, and write up what was learned."
        }
    }

    var next: ProgrammeStage? { Self.allCases.firstIndex(of: self).flatMap { Self.allCases.dropFirst($0 + 1).first } }
    var previous: ProgrammeStage? {
        Self.allCases.firstIndex(of: self).flatMap { $0 == 0 ? nil : Self.allCases[$0 - 1] }
    }

    /// Teams may propose projects for the programme while it recruits or delivers.
    var takesTeams: Bool { self == .recruit || self == .deliver }
}

/// What a person does for a programme. One person may hold several.
package enum ProgrammeRole: String, Codable, CaseIterable, FormChoice, Sendable {
    case lead
    case executiveSponsor = "executive_sponsor"
    case improvementAdvisor = "improvement_advisor"
    case participationLead = "participation_lead"
    case analyst

    /// Where the role is listed: the lead first.
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    var label: String {
        switch self {
        case .lead: "Programme lead"
        case .executiveSponsor: "Executive sponsor"
        case .improvementAdvisor: "Improvement advisor"
        case .participationLead: "People participation lead"
        case .analyst: "Analyst"
        }
    }
}

/// A collaborative or large-scale programme: one strategic priority delivered by many teams at once,
/// all counting the same standard measures ("Violence reduction": 50 wards over five years).
package final class Programme: Model, @unchecked Sendable {
    package static let schema = "programmes"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @OptionalField(key: "description") package var summary: String?
    /// What the programme will achieve, how much, by when; needed before it delivers.
    @OptionalField(key: "aim") package var aim: String?
    /// The part of the organisation that runs it: its administrators and QI team manage it.
    @Parent(key: "unit_id") package var unit: Unit
    /// The strategic priority it delivers.
    @OptionalParent(key: "priority_id") package var priority: Priority?
    @Field(key: "stage") package var stage: ProgrammeStage
    @Children(for: \.$programme) package var people: [ProgrammeMember]
    @Siblings(through: ProgrammeMeasure.self, from: \.$programme, to: \.$standard) package var measures:
        [StandardMeasure]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every edit and every stage decision (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(id: UUID? = nil, name: String, unitID: UUID, stage: ProgrammeStage = .scope) {
        self.id = id
        self.name = name
        self.$unit.id = unitID
        self.stage = stage
        self.version = 1
    }

    /// Who may manage it: the people of `people` must be loaded.
    var access: ProgrammeAccess {
        ProgrammeAccess(unitID: $unit.id, leadIDs: Set(people.filter { $0.role == .lead }.map(\.$person.id)))
    }
}

extension Programme: Versioned {}

extension Programme: Auditable {
    var auditSubject: AuditSubject { .init(kind: "programme", id: id, name: name, unitID: $unit.id) }
    var auditFields: [String: String] {
        [
            "name": name, "description": summary ?? "", "aim": aim ?? "", "unit": $unit.id.uuidString,
            "priority": $priority.id?.uuidString ?? "", "stage": stage.rawValue,
            "standard_measures": ($measures.value ?? []).map(\.name).sorted().joined(separator: ", "),
        ]
    }
}

/// "This person is an improvement advisor to the Violence reduction programme."
package final class ProgrammeMember: Model, @unchecked Sendable {
    package static let schema = "programme_members"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "programme_id") package var programme: Programme
    @Parent(key: "person_id") package var person: Person
    @Field(key: "role") package var role: ProgrammeRole
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(programmeID: UUID, personID: UUID, role: ProgrammeRole) {
        self.$programme.id = programmeID
        self.$person.id = personID
        self.role = role
    }
}

/// A programme's person as the audit trail names them: "Executive sponsor — Ada Lovelace".
struct ProgrammeMemberAudit: Auditable {
    let member: ProgrammeMember
    let personName: String
    let programme: Programme

    var auditSubject: AuditSubject {
        .init(
            kind: "programme_member", id: member.id, name: "\(member.role.label) — \(personName) — \(programme.name)",
            unitID: programme.$unit.id)
    }
    var auditFields: [String: String] {
        [
            "programme": programme.id?.uuidString ?? "", "person": member.$person.id.uuidString,
            "role": member.role.rawValue,
        ]
    }
}

/// "Every team of this programme counts this standard measure."
package final class ProgrammeMeasure: Model, @unchecked Sendable {
    package static let schema = "programme_measures"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "programme_id") package var programme: Programme
    @Parent(key: "standard_id") package var standard: StandardMeasure

    package init() {}
}

/// A decision to move a programme from one stage to another: when, and why.
package final class ProgrammeStageChange: Model, @unchecked Sendable {
    package static let schema = "programme_stage_changes"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "programme_id") package var programme: Programme
    @Field(key: "from_stage") package var from: ProgrammeStage
    @Field(key: "to_stage") package var to: ProgrammeStage
    /// The day it was decided (a calendar day, which may be before it was recorded).
    @Field(key: "decided_on") package var decidedOn: Date
    @Field(key: "note") package var note: String
    @OptionalParent(key: "decided_by") package var decidedBy: Person?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}
}

struct CreateProgrammes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string)
            .field("aim", .string)
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("priority_id", .uuid, .references(Priority.schema, "id", onDelete: .restrict))
            .field("stage", .string, .required)
            .field("created_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .unique(on: "name")
            .create()
        try await database.schema(ProgrammeMember.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "programme_id", "person_id", "role")
            .create()
        try await database.schema(ProgrammeMeasure.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("standard_id", .uuid, .required, .references(StandardMeasure.schema, "id", onDelete: .restrict))
            .unique(on: "programme_id", "standard_id")
            .create()
        try await database.schema(ProgrammeStageChange.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("from_stage", .string, .required)
            .field("to_stage", .string, .required)
            .field("decided_on", .datetime, .required)
            .field("note", .string, .required)
            .field("decided_by", .uuid, .references(Person.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgrammeStageChange.schema).delete()
        try await database.schema(ProgrammeMeasure.schema).delete()
        try await database.schema(ProgrammeMember.schema).delete()
        try await database.schema(Programme.schema).delete()
    }
}

/// A project may be one team's part of a programme.
struct AddProgrammesToProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Project.schema)
            .field("programme_id", .uuid, .references(Programme.schema, "id", onDelete: .setNull)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Project.schema).deleteField("programme_id").update()
    }
}

/// Improvement advisors (IHI's term: the few who lead large-scale programmes' improvement science)
/// are granted like any other role.
struct AddImprovementAdvisorRole: AsyncMigration {
    func prepare(on database: any Database) async throws {
        _ = try await database.enum("role").case(Role.improvementAdvisor.rawValue).update()
    }

    func revert(on database: any Database) async throws {
        _ = try await database.enum("role").deleteCase(Role.improvementAdvisor.rawValue).update()
    }
}

/// The columns a programme's page and dashboard look its people, measures and teams up by.
struct CreateProgrammeIndexes: AsyncMigration {
    static let indexes: [(table: String, columns: [String])] = [
        ("programme_members", ["programme_id"]),
        ("programme_members", ["person_id"]),
        ("programme_measures", ["programme_id"]),
        ("programme_stage_changes", ["programme_id"]),
        ("projects", ["programme_id"]),
    ]

    func prepare(on database: any Database) async throws {
        try await CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await CreateLookupIndexes.drop(Self.indexes, on: database)
    }
}

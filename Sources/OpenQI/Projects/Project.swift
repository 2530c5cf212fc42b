import Fluent
import Foundation
import SQLKit

/// A QI project: what matters and to whom, the problem, a measurable aim, the team, and its
/// journey from proposal through the forum to completion.
final class Project: Model, @unchecked Sendable {
    static let schema = "projects"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Parent(key: "unit_id") var unit: Unit
    @Enum(key: "status") var status: ProjectStatus
    @OptionalEnum(key: "stage") var stage: ImprovementStage?
    /// What matters, and to whom: the reason for the project in the words of those it affects.
    @Field(key: "what_matters") var whatMatters: String
    @Field(key: "problem") var problem: String
    /// The aim in three parts, so it is measurable: what, how much, by when.
    @Field(key: "aim_what") var aimWhat: String
    @Field(key: "aim_how_much") var aimHowMuch: String
    @Field(key: "aim_by_when") var aimByWhen: Date
    /// Organisations outside the trust working on the project: a council, a charity, a GP practice.
    @OptionalField(key: "partner_organisations") var partnerOrganisations: String?
    @Parent(key: "proposer_id") var proposer: Person
    @OptionalParent(key: "coach_id") var coach: Person?
    @OptionalParent(key: "sponsor_id") var sponsor: Person?
    /// The latest progress score, kept with the project for lists and dashboards.
    @OptionalField(key: "progress_score") var progressScore: Double?
    @OptionalField(key: "last_update_at") var lastUpdateAt: Date?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    /// When the forum approved it: the clocks for "no update" and "no data" start here.
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalEnum(key: "aim_achieved") var aimAchieved: AimAchieved?
    @OptionalField(key: "learning") var learning: String?
    @OptionalField(key: "sustain_plan") var sustainPlan: String?
    @Siblings(through: ProjectPriority.self, from: \.$project, to: \.$priority) var priorities: [Priority]
    @Children(for: \.$project) var team: [TeamMember]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var aimStatement: String {
        "\(aimWhat) \(aimHowMuch) by \(CalendarDay.label(aimByWhen))"
    }

    var score: ProgressScore? { progressScore.flatMap(ProgressScore.init(rawValue:)) }
}

extension Project: Auditable {
    var auditSubject: AuditSubject {
        .init(kind: "project", id: id, name: title, unitID: $unit.id, projectID: id)
    }
    var auditFields: [String: String] {
        [
            "title": title, "unit": $unit.id.uuidString, "status": status.rawValue, "stage": stage?.rawValue ?? "",
            "what_matters": whatMatters, "problem": problem, "aim_what": aimWhat, "aim_how_much": aimHowMuch,
            "aim_by_when": CalendarDay.text(aimByWhen),
            "coach": $coach.id?.uuidString ?? "", "sponsor": $sponsor.id?.uuidString ?? "",
            "progress_score": progressScore.map { "\($0)" } ?? "",
            "partner_organisations": partnerOrganisations ?? "",
        ]
    }
}

/// Which strategic priorities a project serves.
final class ProjectPriority: Model, @unchecked Sendable {
    static let schema = "project_priorities"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Parent(key: "priority_id") var priority: Priority

    init() {}
}

extension ProjectPriority {
    /// The condition, on `p`, that a project serves none of the organisation's priorities.
    static let noneServedSQL: SQLQueryString =
        "NOT EXISTS (SELECT 1 FROM project_priorities pp WHERE pp.project_id = p.id)"
}

/// A person on a project team, with their role and, for service users and carers, how involved they are.
final class TeamMember: Model, @unchecked Sendable {
    static let schema = "team_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Parent(key: "person_id") var person: Person
    @Field(key: "role") var role: String
    @Field(key: "is_lead") var isLead: Bool
    @Enum(key: "involvement") var involvement: ServiceUserInvolvement

    init() {}

    init(projectID: UUID, personID: UUID, role: String, isLead: Bool, involvement: ServiceUserInvolvement) {
        self.$project.id = projectID
        self.$person.id = personID
        self.role = role
        self.isLead = isLead
        self.involvement = involvement
    }
}

/// A team member as the audit trail names them: "Tendai Moyo — Fewer falls on Willow Ward".
struct TeamMemberAudit: Auditable {
    let member: TeamMember
    let personName: String
    let project: Project

    var auditSubject: AuditSubject {
        .init(
            kind: "team_member", id: member.id, name: "\(personName) — \(project.title)", unitID: project.$unit.id,
            projectID: project.id)
    }
    var auditFields: [String: String] {
        [
            "project": project.id?.uuidString ?? "", "person": member.$person.id.uuidString, "role": member.role,
            "involvement": member.involvement.rawValue,
        ]
    }
}

/// A dated update: what we did, what we learned, what next, what the sponsor can unblock, and the score.
final class ProgressUpdate: Model, @unchecked Sendable {
    static let schema = "progress_updates"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Field(key: "update_date") var date: Date
    @Field(key: "score") var score: Double
    @OptionalEnum(key: "stage") var stage: ImprovementStage?
    @Field(key: "did") var did: String
    @Field(key: "learned") var learned: String
    @Field(key: "next_steps") var nextSteps: String
    @OptionalField(key: "sponsor_ask") var sponsorAsk: String?
    @Parent(key: "author_id") var author: Person
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

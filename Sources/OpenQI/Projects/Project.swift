import Fluent
import Foundation
import SQLKit
import Vapor

/// A QI project: what matters and to whom, the problem, a measurable aim, the team, and its
/// journey from proposal through the forum to completion.
package final class Project: Model, @unchecked Sendable {
    package static let schema = "projects"

    @ID(key: .id) package var id: UUID?
    @Field(key: "title") package var title: String
    @Parent(key: "unit_id") package var unit: Unit
    @Enum(key: "status") package var status: ProjectStatus
    @OptionalEnum(key: "stage") package var stage: ImprovementStage?
    /// What matters, and to whom: the reason for the project in the words of those it affects.
    @Field(key: "what_matters") package var whatMatters: String
    @Field(key: "problem") package var problem: String
    /// The aim in three parts, so it is measurable: what, how much, by when.
    @Field(key: "aim_what") package var aimWhat: String
    @Field(key: "aim_how_much") package var aimHowMuch: String
    @Field(key: "aim_by_when") package var aimByWhen: Date
    /// Organisations outside the trust working on the project: a council, a charity, a GP practice.
    @OptionalField(key: "partner_organisations") package var partnerOrganisations: String?
    @Parent(key: "proposer_id") package var proposer: Person
    @OptionalParent(key: "coach_id") package var coach: Person?
    @OptionalParent(key: "sponsor_id") package var sponsor: Person?
    /// The latest progress score, kept with the project for lists and dashboards.
    @OptionalField(key: "progress_score") package var progressScore: Double?
    @OptionalField(key: "last_update_at") package var lastUpdateAt: Date?
    @OptionalField(key: "submitted_at") package var submittedAt: Date?
    /// When the forum approved it: the clocks for "no update" and "no data" start here.
    @OptionalField(key: "approved_at") package var approvedAt: Date?
    @OptionalField(key: "closed_at") package var closedAt: Date?
    @OptionalEnum(key: "aim_achieved") package var aimAchieved: AimAchieved?
    @OptionalField(key: "learning") package var learning: String?
    @OptionalField(key: "sustain_plan") package var sustainPlan: String?
    /// The programme the project is one team's part of, if any.
    @OptionalParent(key: "programme_id") package var programme: Programme?
    @Siblings(through: ProjectPriority.self, from: \.$project, to: \.$priority) package var priorities: [Priority]
    @Children(for: \.$project) package var team: [TeamMember]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Moves on with every edit of the proposal (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    var aimStatement: String {
        "\(aimWhat) \(aimHowMuch) by \(CalendarDay.label(aimByWhen))"
    }

    var score: ProgressScore? { progressScore.flatMap(ProgressScore.init(rawValue:)) }
}

extension Project: Versioned {}

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
            "partner_organisations": partnerOrganisations ?? "", "programme": $programme.id?.uuidString ?? "",
        ]
    }
}

/// Which strategic priorities a project serves.
package final class ProjectPriority: Model, @unchecked Sendable {
    package static let schema = "project_priorities"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "project_id") package var project: Project
    @Parent(key: "priority_id") package var priority: Priority

    package init() {}
}

extension ProjectPriority {
    /// The condition, on `p`, that a project serves none of the organisation's priorities and no
    /// box of any unit's annual plan.
    static let noneServedSQL: SQLQueryString = """
        NOT EXISTS (SELECT 1 FROM project_priorities pp WHERE pp.project_id = p.id) \
        AND NOT EXISTS (SELECT 1 FROM plan_links pl WHERE pl.project_id = p.id)
        """
}

/// A person on a project team, with their role and, for service users and carers, how involved they are.
package final class TeamMember: Model, @unchecked Sendable {
    package static let schema = "team_members"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "project_id") package var project: Project
    @Parent(key: "person_id") package var person: Person
    @Field(key: "role") package var role: String
    @Field(key: "is_lead") package var isLead: Bool
    @Enum(key: "involvement") package var involvement: ServiceUserInvolvement

    package init() {}

    package init(projectID: UUID, personID: UUID, role: String, isLead: Bool, involvement: ServiceUserInvolvement) {
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
package final class ProgressUpdate: Model, @unchecked Sendable {
    package static let schema = "progress_updates"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "project_id") package var project: Project
    @Field(key: "update_date") package var date: Date
    @Field(key: "score") package var score: Double
    @OptionalEnum(key: "stage") package var stage: ImprovementStage?
    @Field(key: "did") package var did: String
    @Field(key: "learned") package var learned: String
    @Field(key: "next_steps") package var nextSteps: String
    @OptionalField(key: "sponsor_ask") package var sponsorAsk: String?
    @Parent(key: "author_id") package var author: Person
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}
}

extension Project {
    /// The project with its proposer, coach, sponsor, priorities and team loaded, as its page and
    /// the API show it; 404 when there is none.
    static func withPeople(id: UUID, on db: any Database) async throws -> Project {
        guard
            let project = try await Project.query(on: db).filter(\.$id == id)
                .with(\.$proposer).with(\.$coach).with(\.$sponsor).with(\.$priorities)
                .with(\.$team, { $0.with(\.$person) }).first()
        else { throw NotFound("project") }
        return project
    }

    /// The project with its team loaded, enough to ask the policy who may change it.
    static func withTeam(id: UUID, on db: any Database) async throws -> Project? {
        try await Project.query(on: db).filter(\.$id == id).with(\.$team).first()
    }

    /// Who may change this project, for the policy. Needs the team loaded.
    var access: ProjectAccess {
        ProjectAccess(
            unitID: $unit.id, team: Set(($team.value ?? []).map(\.$person.id)),
            coachID: $coach.id, sponsorID: $sponsor.id
        )
    }
}

extension Request {
    /// The project the route's `projectID` names, with its team (for the policy); 404 when there is none.
    func project() async throws -> Project {
        guard let project = try await Project.withTeam(id: try idParameter("projectID"), on: db) else {
            throw NotFound("project")
        }
        return project
    }

    /// The route's project and the viewer's policy, once the policy lets the viewer change the
    /// project; every page and endpoint that changes a project or its parts starts here.
    func editableProject() async throws -> (Project, Policy) {
        let policy = try await policy()
        let project = try await project()
        try policy.require(.editProject(project.access))
        return (project, policy)
    }
}

import Fluent
import Foundation
import Vapor

/// Whose driver diagram it is: a project's (the team's theory of change), a programme's (the
/// change package its teams adapt) or an annual plan's (what a unit will achieve this year, its
/// boxes linked to the work serving them). One model, one workflow, one page and one editor serve all;
/// this says what differs: where the diagram lives, its aim, who may change it, and how the audit
/// trail names its boxes.
package enum DiagramOwner: Sendable {
    case project(Project)
    case programme(Programme)
    /// With its unit loaded.
    case plan(AnnualPlan)

    /// The owner as a box stores it.
    package enum Key: Sendable, Hashable {
        case project(UUID)
        case programme(UUID)
        case plan(UUID)
    }

    /// The kinds of owner, each with its addresses.
    enum Kind: Sendable, CaseIterable {
        case project, programme, plan

        func url(_ id: Parameter<UUID>, _ part: SiteURL.DiagramPart) -> SiteURL {
            switch self {
            case .project: .projects(.diagram(id, part))
            case .programme: .programmes(.diagram(id, part))
            case .plan: .plans(.diagram(id, part))
            }
        }

        /// The owner the request's address names.
        func find(_ req: Request) async throws -> DiagramOwner {
            switch self {
            case .project: .project(try await req.project())
            case .programme: .programme(try await ProgrammeController.find(req))
            case .plan: .plan(try await AnnualPlanController.find(req))
            }
        }
    }

    var key: Key {
        switch self {
        case .project(let project): .project(project.id!)
        case .programme(let programme): .programme(programme.id!)
        case .plan(let plan): .plan(plan.id!)
        }
    }

    var id: UUID {
        switch key {
        case .project(let id), .programme(let id), .plan(let id): id
        }
    }

    var kind: Kind {
        switch self {
        case .project: .project
        case .programme: .programme
        case .plan: .plan
        }
    }

    /// The project's title, the programme's name or the plan's title.
    var name: String {
        switch self {
        case .project(let project): project.title
        case .programme(let programme): programme.name
        case .plan(let plan): plan.title
        }
    }

    /// The box the diagram starts from.
    var aim: String {
        switch self {
        case .project(let project): project.aimStatement
        case .programme(let programme): programme.aim ?? ""
        case .plan(let plan): plan.aim
        }
    }

    func url(_ part: SiteURL.DiagramPart) -> SiteURL { kind.url(.value(id), part) }

    var breadcrumbs: [PageContext.Link] {
        switch self {
        case .project(let project): .project(project.id, named: project.title)
        case .programme(let programme):
            [
                .init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL()),
                .init(label: programme.name, url: SiteURL.programmes(.show(.value(id))).relativeURL()),
            ]
        case .plan(let plan):
            [
                .init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL()),
                .init(label: plan.title, url: SiteURL.plans(.show(.value(id))).relativeURL()),
            ]
        }
    }

    /// A project's team edits its diagram; a programme's managers edit the programme's; a unit's
    /// administrators and QI team edit its plan.
    private var editing: Permission {
        switch self {
        case .project(let project): .editProject(project.access)
        case .programme(let programme): .manageProgramme(programme.access)
        case .plan(let plan): .managePlans(in: plan.$unit.id)
        }
    }

    func mayEdit(_ policy: Policy) -> Bool { policy.allows(editing) }

    func requireEdit(_ policy: Policy) throws { try policy.require(editing) }

    func drivers(on db: any Database) -> QueryBuilder<Driver> {
        switch key {
        case .project(let id): Driver.query(on: db).filter(\.$project.$id == id)
        case .programme(let id): Driver.query(on: db).filter(\.$programme.$id == id)
        case .plan(let id): Driver.query(on: db).filter(\.$plan.$id == id)
        }
    }

    func ideas(on db: any Database) -> QueryBuilder<ChangeIdea> {
        switch key {
        case .project(let id): ChangeIdea.query(on: db).filter(\.$project.$id == id)
        case .programme(let id): ChangeIdea.query(on: db).filter(\.$programme.$id == id)
        case .plan(let id): ChangeIdea.query(on: db).filter(\.$plan.$id == id)
        }
    }

    /// The change ideas a team may say it adapts: its programme's, when it is in one.
    func changePackage(on db: any Database) async throws -> [DriverDiagram.IdeaBox] {
        guard case .project(let project) = self, let programmeID = project.$programme.id else { return [] }
        return try await ChangeIdea.query(on: db).filter(\.$programme.$id == programmeID).sort(\.$position).all()
            .map { DriverDiagram.IdeaBox($0, driverIDs: []) }
    }

    /// How the audit trail names a box: under the project (so its page shows its own trail) or the
    /// programme, and in either case under its unit.
    func auditSubject(kind: String, id: UUID?, name: String) -> AuditSubject {
        switch self {
        case .project(let project):
            .init(
                kind: kind, id: id, name: "\(name) — \(project.title)", unitID: project.$unit.id, projectID: project.id)
        case .programme(let programme):
            .init(kind: kind, id: id, name: "\(name) — \(programme.name)", unitID: programme.$unit.id)
        case .plan(let plan):
            .init(kind: kind, id: id, name: "\(name) — \(plan.title)", unitID: plan.$unit.id)
        }
    }
}

/// A box of a diagram as the audit trail records it.
struct DiagramPartAudit: Auditable {
    let kind: String
    let id: UUID?
    let name: String
    let owner: DiagramOwner
    let auditFields: [String: String]

    var auditSubject: AuditSubject { owner.auditSubject(kind: kind, id: id, name: name) }
}

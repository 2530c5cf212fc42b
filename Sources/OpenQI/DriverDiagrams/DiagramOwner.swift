import Fluent
import Foundation
import Vapor

/// Whose driver diagram it is: a project's (the team's theory of change) or a programme's (the
/// change package its teams adapt). One model, one workflow, one page and one editor serve both;
/// this says what differs: where the diagram lives, its aim, who may change it, and how the audit
/// trail names its boxes.
package enum DiagramOwner: Sendable {
    case project(Project)
    case programme(Programme)

    /// The owner as a box stores it.
    package enum Key: Sendable, Hashable {
        case project(UUID)
        case programme(UUID)
    }

    /// The kinds of owner, each with its addresses.
    enum Kind: Sendable, CaseIterable {
        case project, programme

        func url(_ id: Parameter<UUID>, _ part: SiteURL.DiagramPart) -> SiteURL {
            switch self {
            case .project: .projects(.diagram(id, part))
            case .programme: .programmes(.diagram(id, part))
            }
        }

        /// The owner the request's address names.
        func find(_ req: Request) async throws -> DiagramOwner {
            switch self {
            case .project: .project(try await req.project())
            case .programme: .programme(try await ProgrammeController.find(req))
            }
        }
    }

    var key: Key {
        switch self {
        case .project(let project): .project(project.id!)
        case .programme(let programme): .programme(programme.id!)
        }
    }

    var id: UUID {
        switch key {
        case .project(let id), .programme(let id): id
        }
    }

    var kind: Kind {
        switch self {
        case .project: .project
        case .programme: .programme
        }
    }

    /// The project's title or the programme's name.
    var name: String {
        switch self {
        case .project(let project): project.title
        case .programme(let programme): programme.name
        }
    }

    /// The box the diagram starts from.
    var aim: String {
        switch self {
        case .project(let project): project.aimStatement
        case .programme(let programme): programme.aim ?? ""
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
        }
    }

    /// A project's team edits its diagram; a programme's managers edit the programme's.
    func mayEdit(_ policy: Policy) -> Bool {
        switch self {
        case .project(let project): policy.allows(.editProject(project.access))
        case .programme(let programme): policy.allows(.manageProgramme(programme.access))
        }
    }

    func requireEdit(_ policy: Policy) throws {
        switch self {
        case .project(let project): try policy.require(.editProject(project.access))
        case .programme(let programme): try policy.require(.manageProgramme(programme.access))
        }
    }

    func drivers(on db: any Database) -> QueryBuilder<Driver> {
        switch key {
        case .project(let id): Driver.query(on: db).filter(\.$project.$id == id)
        case .programme(let id): Driver.query(on: db).filter(\.$programme.$id == id)
        }
    }

    func ideas(on db: any Database) -> QueryBuilder<ChangeIdea> {
        switch key {
        case .project(let id): ChangeIdea.query(on: db).filter(\.$project.$id == id)
        case .programme(let id): ChangeIdea.query(on: db).filter(\.$programme.$id == id)
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

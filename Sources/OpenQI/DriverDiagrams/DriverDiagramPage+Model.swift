import Fluent
import Foundation
import Vapor

enum DriverDiagramPage {
    /// A box being edited whose form came back with errors.
    struct Editing: Sendable, Equatable {
        let id: UUID
        let form: FormState
    }

    struct Model: Sendable, Equatable {
        var ownerKind: DiagramOwner.Kind
        var ownerID: UUID
        var ownerName: String
        var breadcrumbs: [PageContext.Link]
        var diagram: DriverDiagram
        var svg: String
        var canEdit: Bool
        /// For a team in a programme: the programme's change ideas its own ideas may adapt.
        var package: [DriverDiagram.IdeaBox] = []
        /// For a programme: how many teams adapt each of its change ideas.
        var adaptations: [UUID: Int] = [:]
        var primaryForm = FormState()
        var secondaryForm = FormState()
        var ideaForm = FormState()
        var editing: Editing?
        /// Why the last removal was refused.
        var problem: String?

        func url(_ part: SiteURL.DiagramPart) -> String { ownerKind.url(.value(ownerID), part).relativeURL() }
    }
}

extension DriverDiagramPage.Model {
    static func query(owner: DiagramOwner, policy: Policy, on db: any Database) async throws -> Self {
        let diagram = try await DriverDiagram.load(for: owner, on: db)
        var adaptations: [UUID: Int] = [:]
        if case .programme = owner, !diagram.ideas.isEmpty {
            // Counted per team: a team with two ideas adapting one of the programme's counts once.
            let adapting = try await ChangeIdea.query(on: db).filter(\.$adaptedFrom.$id ~~ diagram.ideas.map(\.id))
                .all()
            var teams: [UUID: Set<UUID>] = [:]
            for idea in adapting {
                if let from = idea.$adaptedFrom.id, let team = idea.$project.id {
                    teams[from, default: []].insert(team)
                }
            }
            adaptations = teams.mapValues(\.count)
        }
        return .init(
            ownerKind: owner.kind, ownerID: owner.id, ownerName: owner.name, breadcrumbs: owner.breadcrumbs,
            diagram: diagram, svg: diagram.chart().svg(), canEdit: owner.mayEdit(policy),
            package: try await owner.changePackage(on: db), adaptations: adaptations)
    }
}

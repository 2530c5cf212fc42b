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
            adaptations = try await ChangeIdea.adaptingTeams(of: diagram.ideas.map(\.id), on: db).mapValues(\.count)
        }
        return .init(
            ownerKind: owner.kind, ownerID: owner.id, ownerName: owner.name, breadcrumbs: owner.breadcrumbs,
            diagram: diagram, svg: diagram.chart().svg(), canEdit: owner.mayEdit(policy),
            package: try await owner.changePackage(on: db), adaptations: adaptations)
    }
}

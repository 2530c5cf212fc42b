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
        var projectID: UUID
        var projectTitle: String
        var diagram: DriverDiagram
        var svg: String
        var canEdit: Bool
        var primaryForm = FormState()
        var secondaryForm = FormState()
        var ideaForm = FormState()
        var editing: Editing?
        /// Why the last removal was refused.
        var problem: String?
    }
}

extension DriverDiagramPage.Model {
    static func query(project: Project, policy: Policy, on db: any Database) async throws -> Self {
        let diagram = try await DriverDiagram.load(for: project, on: db)
        return .init(
            projectID: try project.requireID(), projectTitle: project.title, diagram: diagram,
            svg: diagram.chart().svg(), canEdit: policy.allows(.editProject(project.access)))
    }
}

import Foundation

/// A project as a list shows it (the projects list, the agenda of a forum, projects like a new
/// proposal): what it is called, where it sits, and how it is going.
struct ProjectRow: Sendable, Equatable {
    let id: UUID
    let title: String
    let unitPath: String
    let status: ProjectStatus
    let stage: ImprovementStage?
    let score: ProgressScore?

    /// The project's page.
    var url: String { SiteURL.projects(.show(.value(id))).relativeURL() }
}

extension ProjectRow {
    /// `project`, whose `id` the caller has unwrapped.
    init(_ project: Project, id: UUID, tree: UnitTree) {
        self.init(
            id: id, title: project.title, unitPath: tree.path(of: project.$unit.id), status: project.status,
            stage: project.stage, score: project.score)
    }
}

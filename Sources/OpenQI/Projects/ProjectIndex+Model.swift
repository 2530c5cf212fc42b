import Fluent
import Foundation

enum ProjectIndex {
    struct Row: Sendable, Equatable {
        let id: UUID
        let title: String
        let unitPath: String
        let status: ProjectStatus
        let stage: ImprovementStage?
        let score: ProgressScore?
    }

    struct Model: Sendable, Equatable {
        var query: String
        var status: ProjectStatus?
        var unitID: UUID?
        var rows: [Row]
        var total: Int
        var unitOptions: [FormField.Option]
    }
}

extension ProjectIndex.Model {
    static let limit = 200

    /// Projects in a unit and everything below it, by status, searched by title and aim.
    static func query(search: String?, status: ProjectStatus?, unitID: UUID?, policy: Policy, on db: any Database)
        async throws -> Self
    {
        let search = search?.trimmingCharacters(in: .whitespaces) ?? ""
        var query = Project.query(on: db)
        if !search.isEmpty {
            let like = db.caseInsensitiveLike
            query = query.group(.or) {
                $0.filter(\.$title, like, "%\(search)%").filter(\.$aimWhat, like, "%\(search)%").filter(
                    \.$problem, like, "%\(search)%")
            }
        }
        if let status { query = query.filter(\.$status == status) }
        if let unitID { query = query.filter(\.$unit.$id ~~ Array(policy.tree.subtree(of: unitID))) }
        let total = try await query.count()
        let projects = try await query.sort(\.$updatedAt, .descending).limit(limit).all()
        return .init(
            query: search, status: status, unitID: unitID,
            rows: projects.compactMap { project in
                project.id.map {
                    .init(
                        id: $0, title: project.title, unitPath: policy.tree.path(of: project.$unit.id),
                        status: project.status,
                        stage: project.stage, score: project.score)
                }
            },
            total: total, unitOptions: policy.tree.parentOptions()
        )
    }
}

import Fluent
import Foundation
import Vapor

enum HomeController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let roles = policy.viewer.grants.sorted {
            ($0.role, policy.tree.path(of: $0.unitID)) < ($1.role, policy.tree.path(of: $1.unitID))
        }
        .map { "\($0.role.label) for \(policy.tree.path(of: $0.unitID))" }
        let model = Home.Model(
            viewerName: policy.viewer.name,
            roles: (policy.viewer.isAdministrator ? ["Installation administrator"] : []) + roles,
            unitCount: policy.tree.nodes.values.filter { !$0.isArchived }.count,
            peopleCount: try await Person.query(on: req.db).filter(\.$archivedAt == nil).count(),
            serviceUserCount: try await Person.query(on: req.db).filter(\.$archivedAt == nil).filter(
                \.$kind == .serviceUser
            ).count(),
            tasks: try await MyTasks.query(policy: policy, on: req.db),
            projects: try await PersonProjects.query(
                of: policy.viewer.personID, closedWithin: PersonProjects.closedShownAtHomeFor, on: req.db),
            places: MyPlaces.of(policy),
            training: try await MyTraining.query(of: policy.viewer.personID, today: AppClock.today, on: req.db)
        )
        return Home.View(context: try await req.pageContext(), model: model).response()
    }
}

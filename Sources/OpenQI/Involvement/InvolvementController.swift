import Foundation
import Vapor

/// The involvement analysis of a unit: `/units/ID/involvement`.
enum InvolvementController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await InvolvementAnalysis.query(
            unitID: try req.idParameter("unitID"), tree: policy.tree, on: req.db)
        return InvolvementPage.View(context: try await req.pageContext(), model: model).response()
    }
}

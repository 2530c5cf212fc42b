import Foundation
import Vapor

/// The portfolio dashboard of a unit.
enum PortfolioController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.readOrganisation)
        let model = try await PortfolioPage.Model.query(
            unitID: try req.idParameter("unitID"), policy: policy, cache: try await req.cachedResults(), on: req.db)
        return PortfolioPage.View(context: try await req.pageContext(), model: model).response()
    }
}

import Foundation
import Vapor

/// The measures summary of a unit: every measure below it, filtered and sorted.
enum MeasureSummaryController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.readOrganisation)
        let model = try await MeasureSummaryPage.Model.query(
            unitID: try req.idParameter("unitID"), filter: .init(query: req.query), policy: policy, on: req.db)
        return MeasureSummaryPage.View(context: try await req.pageContext(), model: model).response()
    }
}

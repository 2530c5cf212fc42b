import Foundation
import Vapor

/// The measures summary of a unit: every measure below it, filtered and sorted.
enum MeasureSummaryController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let unitID = try req.idParameter("unitID")
        let filter = MeasureSummaryPage.Filter(query: req.query, page: try req.pageFilter())
        let db = req.db
        // Thousands of rows, the same for everyone who may add measures here (or not): drawn once
        // per revision of the records. A search is drawn afresh: a key never holds free text.
        let key = MeasureSummaryPage.PageKey(
            unit: unitID, filter: filter, canAdd: policy.allows(.manageUnitMeasures(unitID)))
        return try await req.page(drawnOnceAs: key) { context in
            MeasureSummaryPage.View(
                context: context,
                model: try await MeasureSummaryPage.Model.query(unitID: unitID, filter: filter, policy: policy, on: db))
        }
    }
}

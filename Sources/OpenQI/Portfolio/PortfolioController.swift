import Foundation
import Vapor

/// The portfolio dashboard of a unit.
enum PortfolioController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.readOrganisation)
        let unitID = try req.idParameter("unitID")
        let now = Date()
        let cache = try await req.cachedResults()
        let db = req.db
        // The same for everyone; its figures relative to now move on every ten minutes, as the model's do.
        return try await req.page(drawnOnceAs: "portfolio \(unitID) \(PortfolioPage.window(now))") { context in
            PortfolioPage.View(
                context: context,
                model: try await PortfolioPage.Model.query(
                    unitID: unitID, policy: policy, cache: cache, on: db, now: now))
        }
    }

    /// Every coach of the unit's projects, and every coach granted here, with their load.
    @Sendable static func coaches(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.readOrganisation)
        let unitID = try req.idParameter("unitID")
        let now = Date()
        let cache = try await req.cachedResults()
        let db = req.db
        return try await req.page(drawnOnceAs: "coach load \(unitID) \(PortfolioPage.window(now))") { context in
            PortfolioPage.CoachesView(
                context: context,
                model: try await PortfolioPage.Model.query(
                    unitID: unitID, policy: policy, cache: cache, on: db, now: now))
        }
    }
}

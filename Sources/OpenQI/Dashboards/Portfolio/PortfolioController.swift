import Foundation
import Vapor

/// The portfolio dashboard of a unit, and the load of every coach behind its coach figures.
enum PortfolioController {
    @Sendable static func show(req: Request) async throws -> Response {
        try await page(req, .portfolio) { PortfolioPage.View(context: $0, model: $1) }
    }

    /// Every coach of the unit's projects, and every coach granted here, with their load.
    @Sendable static func coaches(req: Request) async throws -> Response {
        try await page(req, .coachLoad) { PortfolioPage.CoachesView(context: $0, model: $1) }
    }

    /// A page drawn from the unit's portfolio. The same for everyone; its figures relative to now
    /// move on every ten minutes, as the model's do.
    private static func page(
        _ req: Request, _ page: PortfolioPage.PageKey.Page,
        view: @escaping @Sendable (PageContext, PortfolioPage.Model) -> Layout
    ) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let unitID = try req.idParameter("unitID")
        let now = AppClock.now
        let cache = try await req.cachedResults()
        let db = req.db
        let key = PortfolioPage.PageKey(page: page, unit: unitID, window: PortfolioPage.window(now))
        return try await req.page(drawnOnceAs: key) { context in
            view(
                context,
                try await PortfolioPage.Model.query(unitID: unitID, policy: policy, cache: cache, on: db, now: now))
        }
    }
}

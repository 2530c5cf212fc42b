import Fluent
import Foundation
import Plot
import Vapor

/// `/units/ID/quality`: the unit's whole quality management system on one page, in ELFT's four
/// parts: planning (its annual plan), control (early warning, huddles and escalations), assurance
/// (WalkRounds) and improvement (its projects). Every figure links to the list behind it, and each
/// is counted by the page that lists it, so the two always agree.
enum UnitQualityPage {
    typealias Figure = PortfolioPage.Figure

    /// A unit's figures, the same for everyone, in a ten-minute window (`PortfolioPage.window`).
    struct Key: ResultKey {
        let unit: UUID
        let window: Int
    }

    /// The page drawn from them.
    struct PageKey: ResultKey {
        let unit: UUID
        let window: Int
    }

    struct Part: Sendable, Equatable {
        let id: String
        let name: String
        let summary: String
        let figures: [Figure]
    }

    struct Plan: Sendable, Equatable {
        let id: UUID
        let title: String
        let aim: String
        /// The plan is a unit's above this one, which this unit works to.
        let isInherited: Bool
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        var plan: Plan?
        var lastWalkRound: String?
        var parts: [Part]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Quality — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] { .unit(model.unitID, named: model.unitPath) }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Quality management",
                    lead:
                        "\(model.unitPath): planning, control, assurance and improvement, the four parts of a quality management system, with every figure linked to what it counts."
                ),
                .forEach(model.parts) { part in
                    .section(
                        .id(part.id),
                        .h2(.text(part.name)),
                        .p(.class("hint"), .text(part.summary)),
                        .if(part.id == "planning", planning()),
                        .if(part.id == "assurance", .unwrap(model.lastWalkRound) { .p(.text($0)) }),
                        .if(
                            !part.figures.isEmpty,
                            .ul(
                                .class("figures"),
                                .forEach(part.figures) { figure in
                                    .li(.a(.href(figure.url), .strong(.text("\(figure.count)")), .text(figure.label)))
                                })))
                }
            )
        }

        private func planning() -> Node<HTML.BodyContext> {
            .unwrap(
                model.plan,
                { plan in
                    .p(
                        .text(plan.isInherited ? "No plan of its own: it works to " : "Its plan: "),
                        .a(.href(SiteURL.plans(.show(.value(plan.id))).relativeURL()), .text(plan.title)),
                        .text(". Aim: \(plan.aim)"))
                }, else: .p(.class("empty"), .text("No annual plan for this year here or above it yet.")))
        }
    }
}

extension UnitQualityPage.Model {
    /// The figures as they stand, from the cache while nothing has changed; like the portfolio's,
    /// those relative to now move on, so a kept one serves ten minutes at most.
    static func query(
        unitID: UUID, policy: Policy, cache: CachedResults = .none, on db: any Database, now: Date = AppClock.now
    ) async throws -> Self {
        guard policy.tree.nodes[unitID] != nil else { throw NotFound("unit") }
        return try await cache.value(UnitQualityPage.Key(unit: unitID, window: PortfolioPage.window(now))) {
            try await compute(unitID: unitID, policy: policy, cache: cache, on: db, now: now)
        }
    }

    /// Composed from the pages that list each figure (the portfolio, the early-warning grid, the
    /// huddles page, the WalkRounds page), so a figure here is the count of the list it links to.
    /// Nothing in it depends on who asks: the policy is read for its unit tree only.
    static func compute(
        unitID: UUID, policy: Policy, cache: CachedResults, on db: any Database, now: Date
    ) async throws -> Self {
        let tree = policy.tree
        let today = CalendarDay(containing: now)
        let chain = tree.selfAndAncestors(of: unitID)
        // This year's plan (plans are for the year a new plan defaults to), the unit's own, else
        // that of the nearest unit above with one.
        let plans = try await AnnualPlan.query(on: db).filter(\.$unit.$id ~~ chain)
            .filter(\.$year == today.month.year).with(\.$unit).all()
        let plan = chain.lazy.compactMap { unit in plans.first { $0.$unit.id == unit } }.first
        let wards = try await EarlyWarningPage.Model.query(unitID: unitID, policy: policy, on: db, now: now).wards
        let huddles = try await HuddlesPage.Model.query(
            unitID: unitID, policy: policy, today: today, cache: cache, on: db)
        let walkRounds = try await WalkRoundsPage.Model.query(
            unitID: unitID, policy: policy, today: today, cache: cache, on: db)
        let portfolio = try await PortfolioPage.Model.query(
            unitID: unitID, policy: policy, cache: cache, on: db, now: now)
        let huddlesPage = SiteURL.units(.huddles(.value(unitID))).relativeURL()
        let walkRoundsPage = SiteURL.walkRounds(.index).relativeURL(query: [("unit", unitID.uuidString)])
        let last = walkRounds.last
        return Self(
            unitID: unitID, unitPath: tree.path(of: unitID),
            plan: try plan.map {
                .init(id: try $0.requireID(), title: $0.title, aim: $0.aim, isInherited: $0.$unit.id != unitID)
            },
            lastWalkRound: last.map {
                "The last WalkRound here: \($0.executive) to \($0.unit), \(($0.heldOn ?? $0.plannedOn).label)."
            },
            parts: [
                .init(
                    id: "planning", name: "Planning",
                    summary: "What the unit means to achieve this year, and how its work serves it.", figures: []),
                .init(
                    id: "control", name: "Control",
                    summary:
                        "Watching the work day to day: early warning on the wards, and teams’ huddles and escalations.",
                    figures: [
                        .init(
                            label: "wards with a concern on two or more indicators",
                            count: wards.count { $0.concerns >= 2 },
                            url: SiteURL.units(.earlyWarning(.value(unitID))).relativeURL())
                    ]
                        // Nothing is escalated to a ward or team: its huddles page has no such list.
                        + (huddles.receivesEscalations
                            ? [
                                .init(
                                    label: "open escalations sent here, \(huddles.counts.awaitingPastDue) past due",
                                    count: huddles.counts.awaiting, url: huddlesPage + "#awaiting")
                            ] : [])
                        + [
                            .init(
                                label: huddles.hasUnitsBelow
                                    ? "open escalations raised below" : "open escalations raised",
                                count: huddles.counts.raised, url: huddlesPage + "#raised"),
                            .init(
                                label: "huddles this month", count: huddles.huddlesThisMonth,
                                url: huddlesPage + "#huddles"),
                            .init(
                                label: "huddle actions overdue", count: huddles.counts.overdueActions,
                                url: huddlesPage + "#actions"),
                        ]),
                .init(
                    id: "assurance", name: "Assurance",
                    summary: "Seeing for ourselves: the executives’ WalkRounds and what they agreed to follow up.",
                    figures: [
                        .init(
                            label: "WalkRounds in the last 12 months", count: walkRounds.heldInYear,
                            url: walkRoundsPage + "#by-executive"),
                        .init(
                            label: "of \(walkRounds.teams) teams not visited in 12 months",
                            count: walkRounds.unvisited.count, url: walkRoundsPage + "#unvisited"),
                        .init(
                            label: "WalkRound follow-ups open", count: walkRounds.followUps.count,
                            url: walkRoundsPage + "#follow-ups"),
                    ]),
                .init(
                    id: "improvement", name: "Improvement",
                    summary:
                        "Changing the work: the unit’s QI projects, those stalled, and completed ones whose gains slip.",
                    figures: [
                        portfolio.active, portfolio.stalledUpdates, portfolio.stalledData, portfolio.gainsSlipping,
                    ]),
            ])
    }
}

/// The quality page of a unit, and its figures for the API.
enum UnitQualityController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let unitID = try req.idParameter("unitID")
        let cache = try await req.cachedResults()
        let db = req.db
        let now = AppClock.now
        let key = UnitQualityPage.PageKey(unit: unitID, window: PortfolioPage.window(now))
        return try await req.page(drawnOnceAs: key) { context in
            UnitQualityPage.View(
                context: context,
                model: try await UnitQualityPage.Model.query(
                    unitID: unitID, policy: policy, cache: cache, on: db, now: now))
        }
    }

    /// `GET /api/v1/units/ID/quality`.
    @Sendable static func api(req: Request) async throws -> UnitQualityDTO {
        let policy = try await req.policy(granting: .readOrganisation)
        let unitID = try req.idParameter("unitID")
        return UnitQualityDTO(
            try await UnitQualityPage.Model.query(
                unitID: unitID, policy: policy, cache: try await req.cachedResults(), on: req.db))
    }
}

/// The quality page's figures as the API returns them.
struct UnitQualityDTO: Content, Equatable {
    struct Figure: Content, Equatable {
        let label: String
        let count: Int
        /// The page that lists what the figure counts.
        let url: String
    }

    struct Part: Content, Equatable {
        /// `planning`, `control`, `assurance` or `improvement`.
        let part: String
        let figures: [Figure]
    }

    struct Plan: Content, Equatable {
        let id: UUID
        let title: String
        let inherited: Bool
    }

    let unit_id: UUID
    let plan: Plan?
    let parts: [Part]

    init(_ model: UnitQualityPage.Model) {
        unit_id = model.unitID
        plan = model.plan.map { .init(id: $0.id, title: $0.title, inherited: $0.isInherited) }
        parts = model.parts.map { part in
            .init(part: part.id, figures: part.figures.map { .init(label: $0.label, count: $0.count, url: $0.url) })
        }
    }
}

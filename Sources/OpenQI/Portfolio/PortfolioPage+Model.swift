import Charts
import Fluent
import Foundation
import SPC
import SQLKit
import Vapor

/// A unit's QI portfolio, rolled up over every unit below it: what a forum, a directorate or the
/// board looks at. Every figure links to the list of projects behind it.
enum PortfolioPage {
    /// One figure: what it counts, how many, and the list behind it.
    struct Figure: Sendable, Equatable {
        let label: String
        let count: Int
        let url: String
    }

    struct CoachLoad: Sendable, Equatable {
        let name: String
        let active: Int
        let url: String
        var isOverCapacity: Bool { active > PortfolioPage.coachCapacity }
    }

    /// Active projects one coach can support well; ELFT's coaches carried about this many.
    static let coachCapacity = 6
    /// Which ten minutes `now` falls in: a portfolio kept from earlier in them is still current.
    static func window(_ now: Date) -> Int { Int(now.timeIntervalSince1970 / 600) }

    /// Months shown in the run charts of counts over time.
    static let months = 24

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        var total: Figure
        var byStatus: [Figure]
        var byStage: [Figure]
        var byScore: [Figure]
        var byPriority: [Figure]
        var fullPartners: Figure

        var aims: [Figure]
        var stalledUpdates: Figure
        var stalledData: Figure
        var coaches: [CoachLoad]
        var activeChartSVG: String
        var completionsChartSVG: String
    }
}

extension PortfolioPage.Model {
    /// The portfolio as it stands, from the cache while nothing has changed. Figures relative to
    /// now (stalled projects, the months) move on by themselves, so a kept one serves ten minutes
    /// at most.
    static func query(
        unitID: UUID, policy: Policy, cache: CachedResults = .none, on db: any Database, now: Date = Date()
    ) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw Abort(.notFound, reason: "There is no unit with this address. It may have been mistyped.")
        }
        return try await cache.value("portfolio \(unitID) \(PortfolioPage.window(now))") {
            try await compute(unitID: unitID, tree: tree, on: db, now: now)
        }
    }

    /// Every figure is counted by the database: a large trust's ten thousand projects never leave it.
    static func compute(unitID: UUID, tree: UnitTree, on db: any Database, now: Date) async throws -> Self {
        let sql = db.sql
        let inScope = PortfolioScope(unitID: unitID, tree: tree)
        let base = [("unit", unitID.uuidString)]
        func list(_ extra: [(String, String)]) -> String { SiteURL.projects(.index).relativeURL(query: base + extra) }

        // Status, stage, score and whether the aim was achieved, counted together.
        struct Tally: Decodable {
            let status: String
            let stage: String?
            let progress_score: Double?
            let aim_achieved: String?
            let n: Int
        }
        let tallies = try await sql.raw(
            """
            SELECT status, stage, progress_score, aim_achieved, COUNT(*) AS n FROM projects p
            WHERE \(inScope.projects) GROUP BY status, stage, progress_score, aim_achieved
            """
        ).all(decoding: Tally.self)
        func count(_ include: (Tally) -> Bool) -> Int { tallies.filter(include).reduce(0) { $0 + $1.n } }
        let active = ProjectStatus.active.rawValue
        let byStatus = ProjectStatus.allCases.compactMap { status -> PortfolioPage.Figure? in
            let n = count { $0.status == status.rawValue }
            return n == 0 ? nil : .init(label: status.label, count: n, url: list([("status", status.rawValue)]))
        }
        let byStage = ImprovementStage.allCases.map { stage in
            PortfolioPage.Figure(
                label: stage.label, count: count { $0.status == active && $0.stage == stage.rawValue },
                url: list([("status", "active"), ("stage", stage.rawValue)]))
        }
        let byScore = ProgressScore.allCases.map { score in
            PortfolioPage.Figure(
                label: score.text,
                count: count { $0.status == active && $0.progress_score.flatMap(ProgressScore.init) == score },
                url: list([("status", "active"), ("score", score.text)]))
        }
        let aims = AimAchieved.allCases.map { aim in
            PortfolioPage.Figure(
                label: aim.label,
                count: count { $0.status == ProjectStatus.completed.rawValue && $0.aim_achieved == aim.rawValue },
                url: list([("status", "completed"), ("aim_achieved", aim.rawValue)]))
        }

        struct Keyed: Decodable {
            let id: UUID?
            let n: Int
        }
        let perPriority = try await sql.raw(
            """
            SELECT pp.priority_id AS id, COUNT(*) AS n FROM project_priorities pp
            JOIN projects p ON p.id = pp.project_id WHERE \(inScope.projects) GROUP BY pp.priority_id
            """
        ).all(decoding: Keyed.self)
        let byPriority = try await Priority.query(on: db).filter(\.$archivedAt == nil).sort(\.$name).all().compactMap {
            priority -> PortfolioPage.Figure? in
            guard let id = priority.id else { return nil }
            return .init(
                label: priority.name, count: perPriority.first { $0.id == id }?.n ?? 0,
                url: list([("priority", id.uuidString)]))
        }

        let partnered =
            try await sql.raw(
                """
                SELECT COUNT(DISTINCT tm.project_id) AS n FROM team_members tm JOIN projects p ON p.id = tm.project_id
                WHERE \(inScope.projects) AND tm.involvement = \(literal: ServiceUserInvolvement.fullPartner.rawValue)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0

        // The same rules as the project list's filters, from one definition.
        func stalled(_ condition: SQLQueryString) async throws -> Int {
            try await sql.raw("SELECT COUNT(*) AS n FROM projects p WHERE \(inScope.projects) AND \(condition)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let stalledUpdates = try await stalled(Stalled.awaitingUpdateSQL(now: now))
        let stalledData = try await stalled(Stalled.withoutDataSQL(now: now))

        let perCoach = try await sql.raw(
            """
            SELECT p.coach_id AS id, COUNT(*) AS n FROM projects p
            WHERE \(inScope.projects) AND p.status = \(literal: active) AND p.coach_id IS NOT NULL GROUP BY p.coach_id
            """
        ).all(decoding: Keyed.self)
        let coachIDs = perCoach.compactMap(\.id)
        let coaches = coachIDs.isEmpty ? [] : try await Person.query(on: db).filter(\.$id ~~ coachIDs).all()
        let coachLoad = coaches.compactMap { coach -> PortfolioPage.CoachLoad? in
            guard let id = coach.id else { return nil }
            return .init(
                name: coach.fullName, active: perCoach.first { $0.id == id }?.n ?? 0,
                url: list([("status", "active"), ("coach", id.uuidString)]))
        }.sorted { ($0.active, $1.name) > ($1.active, $0.name) }

        let (activeSeries, completionSeries) = try await monthlyCounts(inScope, on: db, now: now)
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID),
            total: .init(label: "projects", count: count { _ in true }, url: list([])),
            byStatus: byStatus, byStage: byStage, byScore: byScore, byPriority: byPriority,
            fullPartners: .init(
                label: "with a service user or carer as a full partner", count: partnered,
                url: list([("full_partners", "yes")])),
            aims: aims,
            stalledUpdates: .init(
                label: "active projects with no update for 6 weeks", count: stalledUpdates,
                url: list([("stalled", "yes")])),
            stalledData: .init(
                label: "active projects with no data for 8 weeks", count: stalledData,
                url: list([("stale_data", "yes")])),
            coaches: coachLoad,
            activeChartSVG: runChart(activeSeries, title: "Active projects", subtitle: "at the end of each month"),
            completionsChartSVG: runChart(completionSeries, title: "Projects completed", subtitle: "each month"))
    }

    /// For each of the last months: projects active at its end (approved before it, not yet
    /// closed), and projects completed in it. Counted by the database, a column a month.
    static func monthlyCounts(_ scope: PortfolioScope, on db: any Database, now: Date) async throws -> (
        active: [(String, Double)], completed: [(String, Double)]
    ) {
        let calendar = Calendar(identifier: .gregorian)
        let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        let months = stride(from: PortfolioPage.months - 1, through: 0, by: -1).map { offset in
            let start = calendar.date(byAdding: .month, value: -offset, to: thisMonth)!
            return (start: start, end: min(calendar.date(byAdding: .month, value: 1, to: start)!, now))
        }
        let active = ProjectStatus.active.rawValue
        var running: SQLQueryString = ""
        var done: SQLQueryString = ""
        for (index, month) in months.enumerated() {
            let separator: SQLQueryString = index == 0 ? "" : ", "
            running +=
                separator
                    + """
                    COALESCE(SUM(CASE WHEN approved_at < \(bind: month.end) AND (closed_at >= \(bind: month.end)
                    OR (closed_at IS NULL AND status = \(literal: active))) THEN 1 ELSE 0 END), 0) AS m\(literal: index)
                    """
            done +=
                separator
                    + """
                    COALESCE(SUM(CASE WHEN status = \(literal: ProjectStatus.completed.rawValue)
                    AND closed_at >= \(bind: month.start) AND closed_at < \(bind: month.end) THEN 1 ELSE 0 END), 0)
                    AS m\(literal: index)
                    """
        }
        let approved = try await db.sql.raw(
            """
            SELECT \(running) FROM (SELECT p.status, p.closed_at, MIN(d.decided_at) AS approved_at FROM projects p
            JOIN forum_decisions d ON d.project_id = p.id AND d.decision = \(literal: ForumDecisionKind.approve.rawValue)
            WHERE \(scope.projects) GROUP BY p.id, p.status, p.closed_at) approved
            """
        ).first()
        let completed = try await db.sql.raw(
            "SELECT \(done) FROM projects p WHERE \(scope.projects)"
        ).first()
        func series(_ row: (any SQLRow)?) throws -> [(String, Double)] {
            try months.enumerated().map { index, month in
                (
                    month.start.formatted(.iso8601.year().month()),
                    Double(try row?.decode(column: "m\(index)", as: Int.self) ?? 0)
                )
            }
        }
        return (try series(approved), try series(completed))
    }

    /// Counts over time as a run chart (median and runs analysis), not a bar chart of two numbers.
    static func runChart(_ series: [(String, Double)], title: String, subtitle: String) -> String {
        let result = SPCChart.compute(
            points: series.map { SPCPoint(x: $0.0, y: $0.1) }, options: SPCOptions(chart: .run, rules: .anhoej))
        return ControlChart(
            result: result, title: title, subtitle: subtitle, width: 560, height: 260,
            idPrefix: title.lowercased().replacingOccurrences(of: " ", with: "-")
        ).svg()
    }
}

/// Which projects a portfolio counts: those of a unit and every unit below it, as a condition on
/// `p`, the projects table. The whole organisation needs no condition at all.
struct PortfolioScope {
    let projects: SQLQueryString

    init(unitID: UUID, tree: UnitTree) {
        let units = tree.subtree(of: unitID)
        projects = units.count == tree.nodes.count ? "1 = 1" : "p.unit_id IN (\(binds: Array(units)))"
    }
}

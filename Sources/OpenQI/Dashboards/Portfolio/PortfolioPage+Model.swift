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

        /// The label after its count: "1 project approved", not "1 projects approved".
        var countedLabel: String {
            guard count == 1, let plural = label.range(of: "projects") else { return label }
            return label.replacingCharacters(in: plural, with: "project")
        }
    }

    /// A coach's active projects here and across the organisation, against what they can support.
    struct CoachLoad: Sendable, Equatable {
        let name: String
        /// Active projects of this unit and the units below it.
        let here: Figure
        /// Every active project they coach, wherever it is: their load is all of it.
        let inAll: Figure
        let capacity: Int
        var isOverCapacity: Bool { inAll.count > capacity }
        var spare: Int { max(0, capacity - inAll.count) }
    }

    /// One month of a count over time, and the list of projects behind it.
    struct Month: Sendable, Equatable {
        let label: String
        let count: Int
        let url: String
    }
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
        /// One figure per priority in use, then the projects serving none.
        var byPriority: [Figure]
        var active: Figure
        /// Active projects with a service user or carer as a full partner.
        var fullPartners: Figure

        var aims: [Figure]
        var stalledUpdates: Figure
        var stalledData: Figure
        /// Completed projects whose outcome measures signal concern since, unanswered.
        var gainsSlipping: Figure
        /// Over capacity first, then the busiest.
        var coaches: [CoachLoad]
        var activeChartSVG: String
        var activeMonths: [Month]
        var completionsChartSVG: String
        var completionMonths: [Month]
    }
}

extension PortfolioPage.Model {
    /// The portfolio as it stands, from the cache while nothing has changed. Figures relative to
    /// now (stalled projects, the months) move on by themselves, so a kept one serves ten minutes
    /// at most.
    static func query(
        unitID: UUID, policy: Policy, cache: CachedResults = .none, on db: any Database, now: Date = AppClock.now
    ) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw NotFound("unit")
        }
        return try await cache.value(PortfolioPage.ModelKey(unit: unitID, window: PortfolioPage.window(now))) {
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
        let unaligned =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM projects p WHERE \(inScope.projects) AND \(ProjectPriority.noneServedSQL)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let byPriority =
            try await Priority.query(on: db).filter(\.$archivedAt == nil).sort(\.$name).all().compactMap {
                priority -> PortfolioPage.Figure? in
                guard let id = priority.id else { return nil }
                return .init(
                    label: priority.name, count: perPriority.first { $0.id == id }?.n ?? 0,
                    url: list([("priority", id.uuidString)]))
            } + [.init(label: "No priority or plan", count: unaligned, url: list([("priority", "none")]))]

        // The same rules as the project list's filters, from one definition.
        func counted(_ condition: SQLQueryString) async throws -> Int {
            try await sql.raw("SELECT COUNT(*) AS n FROM projects p WHERE \(inScope.projects) AND \(condition)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        // Service users as equal partners: a share of the work going on now.
        let partnered = try await counted("p.status = \(literal: active) AND \(ProjectScope.withFullPartner)")
        let stalledUpdates = try await counted(Stalled.awaitingUpdateSQL(now: now))
        let stalledData = try await counted(Stalled.withoutDataSQL(now: now))
        let gainsSlipping = try await counted(SlippingGains.projectCondition())

        let coaches = try await coachLoad(inScope, units: tree.subtree(of: unitID), list: list, on: db)
        let months = try await monthlyCounts(inScope, on: db, now: now)
        func monthList(_ series: [(month: String, count: Int)], _ key: String) -> [PortfolioPage.Month] {
            series.map { .init(label: $0.month, count: $0.count, url: list([(key, $0.month)])) }
        }
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID),
            total: .init(label: "projects", count: count { _ in true }, url: list([])),
            byStatus: byStatus, byStage: byStage, byScore: byScore, byPriority: byPriority,
            active: .init(
                label: "active projects", count: count { $0.status == active }, url: list([("status", active)])),
            fullPartners: .init(
                label: "with a service user or carer as a full partner", count: partnered,
                url: list([("status", active), ("full_partners", "yes")])),
            aims: aims,
            stalledUpdates: .init(
                label: "active projects with no update for 6 weeks", count: stalledUpdates,
                url: list([("stalled", "yes")])),
            stalledData: .init(
                label: "active projects with no data for 8 weeks", count: stalledData,
                url: list([("stale_data", "yes")])),
            gainsSlipping: .init(
                label: "completed projects whose gains are slipping", count: gainsSlipping,
                url: list([("gains", "slipping")])),
            coaches: coaches,
            activeChartSVG: CountsOverTime.runChart(
                months.active, title: "Active projects", subtitle: "at the end of each month"),
            activeMonths: monthList(months.active, "active_in"),
            completionsChartSVG: CountsOverTime.runChart(
                months.completed, title: "Projects completed", subtitle: "each month"),
            completionMonths: monthList(months.completed, "completed_in"))
    }

    /// The coaches of this unit's active projects, and those granted the coach role here who have
    /// room for more: each with their whole load, since a coach busy elsewhere is busy.
    static func coachLoad(
        _ scope: PortfolioScope, units: Set<UUID>, list: ([(String, String)]) -> String, on db: any Database
    ) async throws -> [PortfolioPage.CoachLoad] {
        struct Keyed: Decodable {
            let id: UUID
            let n: Int
        }
        let active = ProjectStatus.active.rawValue
        let here = try await db.sql.raw(
            """
            SELECT p.coach_id AS id, COUNT(*) AS n FROM projects p
            WHERE \(scope.projects) AND p.status = \(literal: active) AND p.coach_id IS NOT NULL GROUP BY p.coach_id
            """
        ).all(decoding: Keyed.self)
        var ids = Set(here.map(\.id))
        for chunk in Array(units).chunked(into: 1000) {
            ids.formUnion(
                try await RoleGrant.query(on: db).filter(\.$role == .coach).filter(\.$unit.$id ~~ Array(chunk))
                    .all(\.$person.$id))
        }
        guard !ids.isEmpty else { return [] }
        var everywhere: [UUID: Int] = [:]
        var people: [Person] = []
        for chunk in Array(ids).chunked(into: 1000) {
            for row in try await db.sql.raw(
                """
                SELECT p.coach_id AS id, COUNT(*) AS n FROM projects p WHERE p.status = \(literal: active)
                AND p.coach_id IN (\(binds: Array(chunk))) GROUP BY p.coach_id
                """
            ).all(decoding: Keyed.self) {
                everywhere[row.id] = row.n
            }
            people += try await Person.query(on: db).filter(\.$id ~~ Array(chunk)).filter(\.$archivedAt == nil)
                .field(\.$id).field(\.$fullName).field(\.$coachingCapacity).all()
        }
        let hereByID = Dictionary(uniqueKeysWithValues: here.map { ($0.id, $0.n) })
        return people.compactMap { person -> PortfolioPage.CoachLoad? in
            guard let id = person.id else { return nil }
            let coached = [("status", active), ("coach", id.uuidString)]
            return .init(
                name: person.fullName,
                here: .init(label: "here", count: hereByID[id] ?? 0, url: list(coached)),
                inAll: .init(
                    label: "in all", count: everywhere[id] ?? 0,
                    url: SiteURL.projects(.index).relativeURL(query: coached)),
                capacity: person.coachingCapacity ?? Person.usualCoachingCapacity)
        }.sorted {
            ($0.isOverCapacity ? 1 : 0, $0.inAll.count, $1.name) > ($1.isOverCapacity ? 1 : 0, $1.inAll.count, $0.name)
        }
    }

    /// For each of the last months: projects active at its end (or now, for this month), and
    /// projects completed in it, for the months that are over (a month half gone would look like a
    /// fall). Counted by the database, a column a month; the project list's `active_in` and
    /// `completed_in` filters are the same conditions.
    static func monthlyCounts(_ scope: PortfolioScope, on db: any Database, now: Date) async throws -> (
        active: [(month: String, count: Int)], completed: [(month: String, count: Int)]
    ) {
        let thisMonth = CalendarMonth(containing: now)
        let months = (0..<PortfolioPage.months).reversed().map { thisMonth.advanced(by: -$0) }
        var running: SQLQueryString = ""
        var done: SQLQueryString = ""
        for (index, month) in months.enumerated() {
            let separator: SQLQueryString = index == 0 ? "" : ", "
            running +=
                separator
                + "COALESCE(SUM(CASE WHEN \(ProjectScope.activeAtEnd(of: month, now: now)) THEN 1 ELSE 0 END), 0) AS m\(literal: index)"
            done +=
                separator
                + "COALESCE(SUM(CASE WHEN \(ProjectScope.completed(in: month)) THEN 1 ELSE 0 END), 0) AS m\(literal: index)"
        }
        let row = try await db.sql.raw("SELECT \(running) FROM projects p WHERE \(scope.projects)").first()
        let completed = try await db.sql.raw("SELECT \(done) FROM projects p WHERE \(scope.projects)").first()
        func series(_ row: (any SQLRow)?) throws -> [(month: String, count: Int)] {
            try months.enumerated().map { index, month in
                (month.text, try row?.decode(column: "m\(index)", as: Int.self) ?? 0)
            }
        }
        return (try series(row), Array(try series(completed).dropLast()))
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

    private init(projects: SQLQueryString) { self.projects = projects }

    static let everything = PortfolioScope(projects: "1 = 1")

    /// A query for the ids of the projects in scope that meet every condition on `p`.
    func projectIDs(where conditions: [SQLQueryString]) -> SQLQueryString {
        var sql: SQLQueryString = "SELECT p.id FROM projects p WHERE \(projects)"
        for condition in conditions { sql += " AND \(condition)" }
        return sql
    }

    /// The ids of the projects in scope that meet every condition on `p`.
    func projectIDs(where conditions: [SQLQueryString], on db: any Database) async throws -> [UUID] {
        try await db.sql.raw(projectIDs(where: conditions)).all().map { try $0.decode(column: "id", as: UUID.self) }
    }
}

extension PortfolioPage {
    /// A unit's portfolio, the same for everyone, in one ten-minute window (figures relative to now).
    struct ModelKey: ResultKey {
        let unit: UUID
        let window: Int
    }

    /// One of the pages drawn from a unit's portfolio.
    struct PageKey: ResultKey {
        enum Page: Hashable, Sendable { case portfolio, coachLoad }
        let page: Page
        let unit: UUID
        let window: Int
    }
}

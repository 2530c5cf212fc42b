import Charts
import Fluent
import Foundation
import SPC
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
    static func query(unitID: UUID, policy: Policy, on db: any Database, now: Date = Date()) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw Abort(.notFound, reason: "There is no unit with this address. It may have been mistyped.")
        }
        let projects = try await Project.query(on: db).filter(\.$unit.$id ~~ Array(tree.subtree(of: unitID))).all()
        let ids = projects.compactMap(\.id)
        let base = [("unit", unitID.uuidString)]
        func list(_ extra: [(String, String)]) -> String { SiteURL.projects(.index).relativeURL(query: base + extra) }

        let byStatus = ProjectStatus.allCases.compactMap { status -> PortfolioPage.Figure? in
            let count = projects.filter { $0.status == status }.count
            return count == 0 ? nil : .init(label: status.label, count: count, url: list([("status", status.rawValue)]))
        }
        let active = projects.filter { $0.status == .active }
        let byStage = ImprovementStage.allCases.map { stage in
            PortfolioPage.Figure(
                label: stage.label, count: active.filter { $0.stage == stage }.count,
                url: list([("status", "active"), ("stage", stage.rawValue)]))
        }
        let byScore = ProgressScore.allCases.map { score in
            PortfolioPage.Figure(
                label: score.text, count: active.filter { $0.score == score }.count,
                url: list([("status", "active"), ("score", score.text)]))
        }
        let links = ids.isEmpty ? [] : try await ProjectPriority.query(on: db).filter(\.$project.$id ~~ ids).all()
        let byPriority = try await Priority.query(on: db).filter(\.$archivedAt == nil).sort(\.$name).all().compactMap {
            priority -> PortfolioPage.Figure? in
            guard let id = priority.id else { return nil }
            return .init(
                label: priority.name, count: links.filter { $0.$priority.id == id }.count,
                url: list([("priority", id.uuidString)]))
        }
        let partnered =
            ids.isEmpty
            ? []
            : try await TeamMember.query(on: db).filter(\.$project.$id ~~ ids)
                .filter(\.$involvement == .fullPartner).all().map(\.$project.id)
        let completed = projects.filter { $0.status == .completed }
        let aims = AimAchieved.allCases.map { aim in
            PortfolioPage.Figure(
                label: aim.label, count: completed.filter { $0.aimAchieved == aim }.count,
                url: list([("status", "completed"), ("aim_achieved", aim.rawValue)]))
        }
        let overdue = now.addingTimeInterval(-ReviewThresholds.updateOverdue)
        // The same rule as the project list's "stalled" filter: the latest update, or with none the
        // latest change, six weeks ago or more.
        let stalledUpdates = active.filter { ($0.lastUpdateAt ?? $0.updatedAt ?? now) < overdue }.count
        let stalledData = try await projectsWithoutRecentData(active.compactMap(\.id), on: db, now: now).count

        let coachIDs = Set(active.compactMap { $0.$coach.id })
        let coaches =
            coachIDs.isEmpty ? [] : try await Person.query(on: db).filter(\.$id ~~ Array(coachIDs)).all()
        let coachLoad = coaches.compactMap { coach -> PortfolioPage.CoachLoad? in
            guard let id = coach.id else { return nil }
            return .init(
                name: coach.fullName, active: active.filter { $0.$coach.id == id }.count,
                url: list([("status", "active"), ("coach", id.uuidString)]))
        }.sorted { ($0.active, $1.name) > ($1.active, $0.name) }

        let approvals =
            ids.isEmpty
            ? []
            : try await ForumDecision.query(on: db).filter(\.$project.$id ~~ ids)
                .filter(\.$decision == .approve).all()
        var approvedAt: [UUID: Date] = [:]
        for approval in approvals {
            approvedAt[approval.$project.id] = min(
                approvedAt[approval.$project.id] ?? .distantFuture, approval.decidedAt)
        }
        let (activeSeries, completionSeries) = monthlyCounts(projects, approvedAt: approvedAt, now: now)
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID),
            total: .init(label: "projects", count: projects.count, url: list([])),
            byStatus: byStatus, byStage: byStage, byScore: byScore, byPriority: byPriority,
            fullPartners: .init(
                label: "with a service user or carer as a full partner", count: Set(partnered).count,
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

    /// Active projects none of whose measures has data in the last eight weeks (or that have none).
    static func projectsWithoutRecentData(_ ids: [UUID], on db: any Database, now: Date) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let since = now.addingTimeInterval(-56 * 24 * 3600)
        let fresh = try await Measure.query(on: db).filter(\.$project.$id ~~ ids)
            .join(MeasureSummary.self, on: \Measure.$id == \MeasureSummary.$measure.$id)
            .filter(MeasureSummary.self, \.$latestPeriod >= since).all().compactMap { $0.$project.id }
        return Set(ids).subtracting(fresh)
    }

    /// For each of the last months: projects active at its end, and projects completed in it.
    static func monthlyCounts(_ projects: [Project], approvedAt: [UUID: Date], now: Date) -> (
        active: [(String, Double)], completed: [(String, Double)]
    ) {
        let calendar = Calendar(identifier: .gregorian)
        let thisMonth = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        var active: [(String, Double)] = []
        var completed: [(String, Double)] = []
        for offset in stride(from: PortfolioPage.months - 1, through: 0, by: -1) {
            let start = calendar.date(byAdding: .month, value: -offset, to: thisMonth)!
            let end = min(calendar.date(byAdding: .month, value: 1, to: start)!, now)
            let label = start.formatted(.iso8601.year().month())
            let running = projects.filter { project in
                guard let id = project.id, let approved = approvedAt[id], approved < end else { return false }
                return project.closedAt.map { $0 >= end } ?? (project.status == .active)
            }
            active.append((label, Double(running.count)))
            let done = projects.filter { project in
                project.status == .completed && project.closedAt.map { $0 >= start && $0 < end } == true
            }
            completed.append((label, Double(done.count)))
        }
        return (active, completed)
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

import Fluent
import Foundation
import SPC
import SQLKit
import Vapor

/// The board quality report of a unit for a month: the Whole System Measures as SPC charts grouped
/// by the Triple Aim, each with the analyst's narrative; a patient story and an improvement story;
/// and the headline of the improvement portfolio. It prints to A4 and saves as one HTML file.
enum BoardReportPage {
    struct MeasureChart: Sendable, Equatable {
        let measureID: UUID
        let name: String
        let svg: String
        /// The chart's data, for reading without the picture.
        let rows: [MeasureShow.Row]
        let narrative: String?
        /// For the summary at the top: the latest point at the month's end, and its icons.
        let latest: Latest?
        let target: Double?
    }

    /// The latest point of a chart and what Making Data Count says of it.
    struct Latest: Sendable, Equatable {
        let value: Double
        let period: Date
        let variation: VariationIcon
        let assurance: AssuranceIcon?
    }

    struct AimGroup: Sendable, Equatable {
        let aim: TripleAim
        let charts: [MeasureChart]
    }

    struct StoryPart: Sendable, Equatable {
        let title: String
        /// Where it comes from: "A service user’s account", or the project's name.
        let source: String
        let html: String
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        var month: CalendarMonth
        /// Whether anyone has written this month's report yet.
        var isWritten: Bool
        var groups: [AimGroup]
        var patientStory: StoryPart?
        var improvementStory: StoryPart?
        /// The month's projects: approved in it, active at its end, completed in it.
        var headline: [PortfolioPage.Figure]
        /// Months with a written report, the latest first.
        var writtenMonths: [CalendarMonth]
        var mayEdit: Bool

        var monthLabel: String { month.label }
        var monthParameter: String { month.text }
    }

    /// The form where the analyst picks the measures, writes the narratives and chooses the stories.
    struct FormModel: Sendable, Equatable {
        struct Row: Sendable, Equatable {
            let measureID: UUID
            let name: String
        }

        var unitID: UUID
        var unitPath: String
        var month: CalendarMonth
        var measures: [Row]
        var stories: [FormField.Option]
        /// What the form shows: the report as saved, or what was typed when it could not be saved.
        var form: FormState

        var monthParameter: String { month.text }
    }

    /// The month named by `?month=2026-11`, or this month when there is none. Next month's report
    /// may be prepared; a later one is refused, not drawn (and kept) empty.
    static func month(_ text: String?, now: Date = AppClock.now) throws -> CalendarMonth {
        let current = CalendarMonth(containing: now)
        guard let text, !text.isEmpty else { return current }
        guard let month = CalendarMonth(text) else {
            throw ValidationFailure(
                field: "month", message: "“\(text)” is not a month. Name it by year and month, like 2026-11.")
        }
        let latest = current.advanced(by: 1)
        guard month <= latest else {
            throw ValidationFailure(
                field: "month",
                message: "\(month.label) is too far ahead to have a board report. Choose \(latest.label) or earlier.")
        }
        return month
    }
}

extension BoardReport {
    /// The measures on the report and their aims: as this month's report chose them or, before it is
    /// written, as they were last chosen (kept on each measure).
    package static func measureAims(_ report: BoardReport?, unitMeasures: [Measure]) -> [UUID: TripleAim] {
        if let chosen = report?.measureAims {
            return Dictionary(
                uniqueKeysWithValues: chosen.compactMap { id, aim in UUID(uuidString: id).map { ($0, aim) } })
        }
        return Dictionary(
            uniqueKeysWithValues: unitMeasures.compactMap { measure in
                measure.id.flatMap { id in measure.tripleAim.map { (id, $0) } }
            })
    }

    /// Aims by measure as a report stores them.
    package static func stored(_ aims: [UUID: TripleAim]) -> [String: TripleAim] {
        Dictionary(uniqueKeysWithValues: aims.map { ($0.key.uuidString, $0.value) })
    }

    static func find(unitID: UUID, month: CalendarMonth, on db: any Database) async throws -> BoardReport? {
        try await BoardReport.query(on: db).filter(\.$unit.$id == unitID).filter(\.$month == month.start).first()
    }
}

extension BoardReportPage.Model {
    static func query(
        unitID: UUID, month: CalendarMonth, policy: Policy, cache: CachedResults = .none, on db: any Database,
        now: Date = AppClock.now
    ) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw NotFound("unit")
        }
        let report = try await BoardReport.find(unitID: unitID, month: month, on: db)
        let unitMeasures = try await Measure.query(on: db).filter(\.$unit.$id == unitID).filter(\.$project.$id == nil)
            .sort(\.$name).all()
        let aims = BoardReport.measureAims(report, unitMeasures: unitMeasures)
        // A measure archived since keeps its place on the reports that showed it.
        let shown = unitMeasures.filter { measure in
            measure.id.map { aims[$0] != nil } == true && (measure.archivedAt == nil || report?.measureAims != nil)
        }
        var charts: [UUID: BoardReportPage.MeasureChart] = [:]
        for (index, measure) in shown.enumerated() {
            let id = try measure.requireID()
            // The chart as it stood at the month's end, kept per revision of the records.
            let drawn = try await cache.value(BoardReportPage.ChartKey(measure: id, month: month, position: index)) {
                let series = try await MeasureSeries.load(measure, on: db).before(month.end)
                let result = series.result
                let svg = series.chart(
                    title: measure.name, subtitle: measure.unitOfMeasure, width: 700, height: 300,
                    idPrefix: "board-\(index)"
                ).svg()
                let latest = Array(zip(series.periods, result.points)).last { $0.1.y != nil }.map { period, point in
                    BoardReportPage.Latest(
                        value: point.y!, period: period.period, variation: result.variation,
                        assurance: result.assurance)
                }
                return (svg: svg, rows: series.tableRows(result), latest: latest)
            }
            charts[id] = .init(
                measureID: id, name: measure.name, svg: drawn.svg, rows: drawn.rows,
                narrative: report?.narratives[id.uuidString].flatMap { $0.isEmpty ? nil : $0 }, latest: drawn.latest,
                target: measure.target)
        }
        let groups = TripleAim.allCases.compactMap { aim -> BoardReportPage.AimGroup? in
            let inAim = shown.compactMap { measure in measure.id.flatMap { aims[$0] == aim ? charts[$0] : nil } }
            return inAim.isEmpty ? nil : .init(aim: aim, charts: inAim)
        }
        var patientStory: BoardReportPage.StoryPart? = nil
        if let report, let text = report.patientStory, !text.isEmpty {
            patientStory = .init(
                title: report.patientStoryTitle ?? "Patient story", source: "In a service user’s own words",
                html: StoryMarkdown.html(text, charts: [:]))
        }
        var improvementStory: BoardReportPage.StoryPart? = nil
        if let id = report?.$improvementStory.id,
            let story = try await Story.query(on: db).filter(\.$id == id).with(\.$project).first()
        {
            improvementStory = .init(
                title: story.title, source: story.project.title,
                html: StoryMarkdown.html(story.body, charts: try await StoryShow.Model.charts(in: story.body, on: db)))
        }
        let written = try await BoardReport.query(on: db).filter(\.$unit.$id == unitID).sort(\.$month, .descending)
            .field(\.$month).range(..<36).all().map { CalendarMonth(containing: $0.month) }
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), month: month, isWritten: report != nil, groups: groups,
            patientStory: patientStory, improvementStory: improvementStory,
            headline: try await headline(unitID: unitID, month: month, tree: tree, on: db, now: now),
            writtenMonths: written, mayEdit: policy.allows(.manageUnitMeasures(unitID)))
    }

    /// The month's projects in the unit and below it, each figure linking to its list: the same
    /// conditions as the project list's month filters, so a past month's figures stay as they were.
    static func headline(unitID: UUID, month: CalendarMonth, tree: UnitTree, on db: any Database, now: Date)
        async throws -> [PortfolioPage.Figure]
    {
        let scope = PortfolioScope(unitID: unitID, tree: tree)
        let ended = month.end <= now
        let figures: [(label: String, condition: SQLQueryString, filter: String)] = [
            ("projects approved by a forum in \(month.label)", ProjectScope.approved(in: month), "approved_in"),
            (
                ended ? "projects active at the end of \(month.label)" : "projects active now",
                ProjectScope.activeAtEnd(of: month, now: now),
                "active_in"
            ),
            ("projects completed in \(month.label)", ProjectScope.completed(in: month), "completed_in"),
        ]
        var columns: SQLQueryString = ""
        for (index, figure) in figures.enumerated() {
            columns +=
                (index == 0 ? "" : ", ")
                + "COALESCE(SUM(CASE WHEN \(figure.condition) THEN 1 ELSE 0 END), 0) AS f\(literal: index)"
        }
        let row = try await db.sql.raw("SELECT \(columns) FROM projects p WHERE \(scope.projects)").first()
        return try figures.enumerated().map { index, figure in
            .init(
                label: figure.label, count: try row?.decode(column: "f\(index)", as: Int.self) ?? 0,
                url: SiteURL.projects(.index).relativeURL(query: [
                    ("unit", unitID.uuidString), (figure.filter, month.text),
                ]))
        }
    }
}

extension BoardReportPage.FormModel {
    /// The form for a month's report: as saved, or with `submitted` (what was typed) and its errors.
    static func query(
        unitID: UUID, month: CalendarMonth, policy: Policy, submitted: [String: String]? = nil,
        errors: [FieldError] = [], on db: any Database
    ) async throws -> Self {
        let tree = policy.tree
        let report = try await BoardReport.find(unitID: unitID, month: month, on: db)
        let measures = try await Measure.query(on: db).filter(\.$unit.$id == unitID).filter(\.$project.$id == nil)
            .filter(\.$archivedAt == nil).sort(\.$name).all()
        let stories = try await storyChoices(unitID: unitID, tree: tree, keeping: report?.$improvementStory.id, on: db)
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), month: month,
            measures: try measures.map { .init(measureID: try $0.requireID(), name: $0.name) },
            stories: stories,
            form: FormState(values: submitted ?? values(of: report, measures: measures), errors: errors))
    }

    /// The form's values for the report as saved (none yet: version 0), for its unit's measures.
    static func values(of report: BoardReport?, measures: [Measure]) -> [String: String] {
        var values = [
            "patient_story_title": report?.patientStoryTitle ?? "", "patient_story": report?.patientStory ?? "",
            "improvement_story": report?.$improvementStory.id?.uuidString ?? "",
            "version": String(report?.version ?? 0),
        ]
        let aims = BoardReport.measureAims(report, unitMeasures: measures)
        for measure in measures {
            guard let id = measure.id?.uuidString else { continue }
            values["aim-\(id)"] = measure.id.flatMap { aims[$0]?.rawValue } ?? ""
            values["narrative-\(id)"] = report?.narratives[id] ?? ""
        }
        return values
    }

    /// The improvement stories a report may show: those of the projects of the unit and below it,
    /// publishable and newest first, and the one already chosen however old.
    static func storyChoices(unitID: UUID, tree: UnitTree, keeping chosen: UUID?, on db: any Database) async throws
        -> [FormField.Option]
    {
        let units = Array(tree.subtree(of: unitID))
        func stories() -> QueryBuilder<Story> {
            Story.query(on: db).join(Project.self, on: \Story.$project.$id == \Project.$id)
                .filter(Project.self, \.$unit.$id ~~ units)
        }
        var found = try await stories().sort(\.$isPublishable, .descending).sort(\.$updatedAt, .descending)
            .range(..<200).all()
        if let chosen, !found.contains(where: { $0.id == chosen }),
            let story = try await stories().filter(\.$id == chosen).first()
        {
            found.insert(story, at: 0)
        }
        return try found.map {
            let project = try $0.joined(Project.self).title
            return .init(
                value: try $0.requireID().uuidString,
                label: "\($0.title) — \(project)\($0.isPublishable ? "" : " (not yet publishable)")")
        }
    }
}

extension BoardReportPage {
    /// A measure's chart to the month's end, at its place in the report.
    struct ChartKey: ResultKey {
        let measure: UUID
        let month: CalendarMonth
        let position: Int
    }
}

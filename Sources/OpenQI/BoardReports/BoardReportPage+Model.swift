import Fluent
import Foundation
import Vapor

/// The board quality report of a unit for a month: the Whole System Measures as SPC charts grouped
/// by the Triple Aim, each with the analyst's narrative; a patient story and an improvement story;
/// and the headline of the improvement portfolio. It prints to A4 and saves as one HTML file.
enum BoardReportPage {
    struct MeasureChart: Sendable, Equatable {
        let measureID: UUID
        let name: String
        let svg: String
        let narrative: String?
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
        var month: Date
        var groups: [AimGroup]
        var patientStory: StoryPart?
        var improvementStory: StoryPart?
        var headline: [PortfolioPage.Figure]
        var mayEdit: Bool

        var monthLabel: String { month.formatted(.dateTime.month(.wide).year().locale(Locale(identifier: "en_GB"))) }
        var monthParameter: String { String(MeasureSeries.day(month).prefix(7)) }
    }

    /// The form where the analyst picks the measures, writes the narratives and chooses the stories.
    struct FormModel: Sendable, Equatable {
        struct Row: Sendable, Equatable {
            let measureID: UUID
            let name: String
            let aim: TripleAim?
            let narrative: String
        }

        var unitID: UUID
        var unitPath: String
        var month: Date
        var measures: [Row]
        var patientStoryTitle: String
        var patientStory: String
        var improvementStoryID: UUID?
        var stories: [FormField.Option]
        var errors: [FieldError] = []

        var monthParameter: String { String(MeasureSeries.day(month).prefix(7)) }
    }

    /// The first day of the month named by `2026-11`, or of this month.
    static func month(_ text: String?, now: Date = Date()) -> Date {
        if let text, let date = DataImport.date(String(text.prefix(7))) { return date }
        let today = MeasureSeries.day(now)
        return DataImport.date(String(today.prefix(7)))!
    }
}

extension BoardReportPage.Model {
    static func query(
        unitID: UUID, month: Date, policy: Policy, cache: CachedResults = .none, on db: any Database
    ) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw Abort(.notFound, reason: "There is no unit with this address. It may have been mistyped.")
        }
        let report = try await BoardReport.query(on: db).filter(\.$unit.$id == unitID).filter(\.$month == month)
            .first()
        let measures = try await Measure.query(on: db).filter(\.$unit.$id == unitID).filter(\.$project.$id == nil)
            .filter(\.$tripleAim != nil).filter(\.$archivedAt == nil).sort(\.$name).all()
        let charts = try await MeasureSeries.charts(
            of: measures, width: 700, height: 300, idPrefix: "board", cache: cache, on: db)
        let groups = TripleAim.allCases.compactMap { aim -> BoardReportPage.AimGroup? in
            let inAim = try? charts.filter { $0.measure.tripleAim == aim }.map { chart in
                let id = try chart.measure.requireID()
                return BoardReportPage.MeasureChart(
                    measureID: id, name: chart.measure.name, svg: chart.svg,
                    narrative: report?.narratives[id.uuidString].flatMap { $0.isEmpty ? nil : $0 })
            }
            guard let inAim, !inAim.isEmpty else { return nil }
            return .init(aim: aim, charts: inAim)
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
        let portfolio = try await PortfolioPage.Model.query(unitID: unitID, policy: policy, cache: cache, on: db)
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), month: month, groups: groups,
            patientStory: patientStory, improvementStory: improvementStory,
            headline: [portfolio.total] + portfolio.byStatus + [portfolio.fullPartners, portfolio.stalledUpdates],
            mayEdit: policy.allows(.manageUnitMeasures(unitID)))
    }
}

extension BoardReportPage.FormModel {
    static func query(unitID: UUID, month: Date, policy: Policy, on db: any Database) async throws -> Self {
        let tree = policy.tree
        let report = try await BoardReport.query(on: db).filter(\.$unit.$id == unitID).filter(\.$month == month)
            .first()
        let measures = try await Measure.query(on: db).filter(\.$unit.$id == unitID).filter(\.$project.$id == nil)
            .filter(\.$archivedAt == nil).sort(\.$name).all()
        let projects = try await Project.query(on: db).filter(\.$unit.$id ~~ Array(tree.subtree(of: unitID)))
            .field(\.$id).field(\.$title).all()
        let titles = Dictionary(projects.compactMap { p in p.id.map { ($0, p.title) } }) { first, _ in first }
        let stories =
            titles.isEmpty
            ? []
            : try await Story.query(on: db).filter(\.$project.$id ~~ Array(titles.keys))
                .sort(\.$isPublishable, .descending).sort(\.$updatedAt, .descending).range(..<200).all()
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), month: month,
            measures: try measures.map {
                let id = try $0.requireID()
                return .init(
                    measureID: id, name: $0.name, aim: $0.tripleAim, narrative: report?.narratives[id.uuidString] ?? "")
            },
            patientStoryTitle: report?.patientStoryTitle ?? "", patientStory: report?.patientStory ?? "",
            improvementStoryID: report?.$improvementStory.id,
            stories: try stories.map {
                .init(
                    value: try $0.requireID().uuidString,
                    label:
                        "\($0.title) — \(titles[$0.$project.id] ?? "")\($0.isPublishable ? "" : " (not yet publishable)")"
                )
            })
    }
}

import Charts
import Fluent
import Foundation
import Plot
import SPC
import Vapor

/// A programme's evaluation, fit to print: how many teams met their aims, and for each team and
/// standard measure the centre line before its first adopted change against the centre line after
/// it, as two phases of one chart (the Model for Improvement's before-and-after, with the SPC
/// phase the change opened).
enum ProgrammeEvaluation {
    struct Comparison: Sendable, Equatable {
        let team: String
        let teamID: UUID
        let measureID: UUID
        /// The day the first adopted change began (its adopting cycle's start); nil when none was.
        let changedOn: Date?
        let before: Double?
        let after: Double?
        /// What the points after the change say against the baseline's centre line and limits,
        /// frozen and extended over them: a special cause, better or worse, or none.
        let verdict: Verdict
    }

    enum Verdict: String, Sendable, Equatable {
        case improved, worse, changed, noClearChange, tooFew, notYet

        var label: String {
            switch self {
            case .improved: "Improvement: special cause against the baseline"
            case .worse: "Concern: special cause against the baseline"
            case .changed: "Special cause against the baseline (the measure has no better direction)"
            case .tooFew: "Too few points before the change for a baseline (12 are needed)"
            case .noClearChange: "Common cause: no special cause against the baseline"
            case .notYet: "No adopted change, or too little data either side"
            }
        }
    }

    struct Section: Sendable, Equatable {
        let standardName: String
        let unitOfMeasure: String?
        let rows: [Comparison]
        var improved: Int { rows.filter { $0.verdict == .improved }.count }
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var name: String
        var aim: String?
        var stage: ProgrammeStage
        var teams: Int
        /// Teams whose projects have closed, by whether they met their aim.
        var aimsMet: Int
        var aimsPartlyMet: Int
        var aimsNotMet: Int
        var stillRunning: Int
        var learningSessions: Int
        var sections: [Section]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Evaluation — \(model.name)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL()),
                .init(label: model.name, url: SiteURL.programmes(.show(.value(model.id))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("Evaluation"), .span(.class("tag"), .text(model.name))),
                .unwrap(model.aim) { .p(.class("aim"), .text("Aim: \($0)")) },
                .ul(
                    .class("figures"),
                    .li(.strong(.text(String(model.teams))), .text(" teams")),
                    .li(
                        .strong(.text(String(model.learningSessions))),
                        .text(model.learningSessions == 1 ? " learning session" : " learning sessions")),
                    .li(.strong(.text(String(model.aimsMet))), .text(" aims met")),
                    .li(.strong(.text(String(model.aimsPartlyMet))), .text(" partly met")),
                    .li(.strong(.text(String(model.aimsNotMet))), .text(" not met")),
                    .li(.strong(.text(String(model.stillRunning))), .text(" still running"))),
                .p(
                    .class("hint"),
                    .text(
                        "For each team, the centre line before its first adopted change is set against the centre line after it: the change opens a new phase of the team’s chart. Whether it improved is read from the points after the change against the baseline’s centre line and limits, extended: a special cause on the better side (a point beyond the limits, a shift, a trend) is an improvement."
                    )),
                .forEach(model.sections) { section in
                    .section(
                        .h2(.text(section.standardName)),
                        .p(
                            .text(
                                "\(section.improved) of \(section.rows.count) teams improved: a special cause against their baseline."
                            )),
                        .scrollingTable(
                            .caption(.class("visually-hidden"), .text("\(section.standardName), before and after")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Team")), .th(.scope("col"), .text("Change adopted from")),
                                    .th(.scope("col"), .class("number"), .text("Before")),
                                    .th(.scope("col"), .class("number"), .text("After")),
                                    .th(.scope("col"), .text("Change")))),
                            .tbody(
                                .forEach(section.rows) { row in
                                    .tr(
                                        .th(
                                            .scope("row"),
                                            .a(
                                                .href(SiteURL.measures(.show(.value(row.measureID))).relativeURL()),
                                                .text(row.team))),
                                        .td(.text(row.changedOn.map { CalendarDay.label($0) } ?? "None yet")),
                                        .td(.class("number"), .text(row.before.map { Describe.plain($0) } ?? "")),
                                        .td(.class("number"), .text(row.after.map { Describe.plain($0) } ?? "")),
                                        .td(.text(row.verdict.label)))
                                })))
                }
            )
        }
    }
}

extension ProgrammeEvaluation.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard let programme = try await Programme.query(on: db).filter(\.$id == id).with(\.$measures).first() else {
            throw NotFound("programme")
        }
        let teams = try await Project.query(on: db).filter(\.$programme.$id == id)
            .filter(\.$status ~~ ProgrammeShow.Model.joined).sort(\.$title).all()
        let teamIDs = try teams.map { try $0.requireID() }
        // Each team's first adopted change: the start of the first cycle that ended in "adopt".
        let adopted = try await PDSACycle.query(on: db).filter(\.$project.$id ~~ teamIDs)
            .filter(\.$decision == .adopt).all()
        var changedOn: [UUID: Date] = [:]
        for cycle in adopted {
            let start = cycle.startedOn ?? cycle.plannedStart
            changedOn[cycle.$project.id] = min(changedOn[cycle.$project.id] ?? start, start)
        }
        let standards = programme.measures.sorted { $0.name < $1.name }
        let measures = try await Measure.query(on: db).filter(\.$project.$id ~~ teamIDs)
            .filter(\.$standard.$id ~~ standards.compactMap(\.id)).filter(\.$archivedAt == nil).all()
        let series = try await DataPoint.series(of: measures.compactMap(\.id), on: db)
        let titles = Dictionary(uniqueKeysWithValues: zip(teamIDs, teams.map(\.title)))
        let sections = standards.map { standard in
            // Each team once: by the measure it made first from the standard, as the dashboard shows it.
            var seen = Set<UUID>()
            let made = measures.filter { $0.$standard.id == standard.id }
                .sorted { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
                .filter { $0.$project.id.map { seen.insert($0).inserted } ?? false }
            let rows = made.compactMap { measure -> ProgrammeEvaluation.Comparison? in
                guard let teamID = measure.$project.id, let measureID = measure.id else { return nil }
                return Self.compare(
                    measure, id: measureID, periods: series[measureID] ?? [], changedOn: changedOn[teamID],
                    team: titles[teamID] ?? measure.name, teamID: teamID)
            }.sorted { $0.team < $1.team }
            return ProgrammeEvaluation.Section(
                standardName: standard.name, unitOfMeasure: standard.unitOfMeasure, rows: rows)
        }
        let sessions = try await LearningSession.query(on: db).filter(\.$programme.$id == id).count()
        return .init(
            id: id, name: programme.name, aim: programme.aim, stage: programme.stage, teams: teams.count,
            aimsMet: teams.filter { $0.aimAchieved == .yes }.count,
            aimsPartlyMet: teams.filter { $0.aimAchieved == .partly }.count,
            aimsNotMet: teams.filter { $0.aimAchieved == .no }.count,
            stillRunning: teams.filter { $0.status == .active || $0.status == .approved }.count,
            learningSessions: sessions, sections: sections)
    }

    /// A team's measure before and after its first adopted change: the change opens a phase, and
    /// each phase's centre line is compared with the first phase's limits.
    static func compare(
        _ measure: Measure, id measureID: UUID, periods: [MeasureSeries.Period], changedOn: Date?, team: String,
        teamID: UUID
    ) -> ProgrammeEvaluation.Comparison {
        func comparison(_ before: Double?, _ after: Double?, _ verdict: ProgrammeEvaluation.Verdict)
            -> ProgrammeEvaluation.Comparison
        {
            .init(
                team: team, teamID: teamID, measureID: measureID, changedOn: changedOn, before: before, after: after,
                verdict: verdict)
        }
        // The change's day, whole: a period dated that day is after it.
        guard let changedOn = changedOn.map({ CalendarDay(containing: $0).date }) else {
            return comparison(nil, nil, .notYet)
        }
        let baseline = periods.filter { $0.period < changedOn }.count
        guard baseline > 0, baseline < periods.count else { return comparison(nil, nil, .notYet) }
        let phased = MeasureSeries(
            measureID: measureID, name: measure.name, options: measure.options, periods: periods, annotations: [],
            phaseBreaks: [(changedOn, "After the change")])
        let result = phased.result
        guard result.phases.count == 2, let before = result.phases[0].cl, let after = result.phases[1].cl else {
            return comparison(nil, nil, .notYet)
        }
        // Fewer than 12 points make trial limits (NHSRplotthedots), too few to judge a change against.
        guard !result.phases[0].trial else { return comparison(before, after, .tooFew) }
        // The baseline's centre and limits, frozen and extended over what came after (qicharts2's
        // `freeze`): the rules then say whether the points after the change are a special cause.
        var frozen = measure.options
        frozen.freeze = baseline
        let extended = SPCChart.compute(
            points: MeasureSeries(
                measureID: measureID, name: measure.name, options: frozen, periods: periods, annotations: [],
                phaseBreaks: []
            ).spcPoints, options: frozen)
        let afterClasses = Set(extended.points.dropFirst(baseline).map(\.pointClass))
        let verdict: ProgrammeEvaluation.Verdict =
            afterClasses.contains(.improvement)
            ? .improved
            : afterClasses.contains(.concern) ? .worse : afterClasses.contains(.neutral) ? .changed : .noClearChange
        return comparison(before, after, verdict)
    }
}

enum ProgrammeEvaluationController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await ProgrammeEvaluation.Model.query(
            id: try req.idParameter("programmeID"), policy: policy, on: req.db)
        return ProgrammeEvaluation.View(context: try await req.pageContext(), model: model).response()
    }
}

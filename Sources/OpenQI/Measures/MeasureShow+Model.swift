import Charts
import Fluent
import Foundation
import SPC
import Vapor

enum MeasureShow {
    struct Row: Sendable, Equatable {
        let period: String
        let value: String
        let denominator: String
        let plotted: String
        let signals: String
        let note: String
        /// The period as stored, for removing its value.
        var day: CalendarDay? = nil
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var name: String
        var kind: MeasureKind
        var definition: String
        /// The key bulk uploads and the API name the measure by, if it has one.
        var key: String? = nil
        var unitOfMeasure: String?
        var frequency: DataFrequency
        var chartName: String
        var direction: ImprovementDirection
        var target: Double?
        var owner: PageContext.Link
        var chartSVG: String
        var summary: String
        var rows: [Row]
        var canEdit: Bool
        var dataForm: FormState
        var annotationForm: FormState
        var phaseForm: FormState
        /// The checked import waiting for the user's confirmation: its text, what it will do, and any bad rows.
        var preview: Preview?
        /// The last recorded periods and the next ones due, to type values straight in.
        var grid: [GridRow]
        var usesDenominator: Bool
        var gridErrors: [String] = []
        var chartNotes: [ChartNote] = []
        /// The standard measure it is made from, if any.
        var standard: Standard? = nil
    }

    /// The standard measure a measure is made from: the definition version it follows, and the
    /// standard's own.
    struct Standard: Sendable, Equatable {
        let id: UUID
        let name: String
        let followed: Int
        let current: Int
        /// The measure's version, which taking the new definition begins from.
        var measureVersion = 1
        /// What taking the standard's version would change, in words ("the chart", "the target").
        var changes: [String] = []
        /// What the standard's latest version changed in the definition, when the measure is behind.
        var isBehind: Bool { followed < current }
    }

    /// An annotation or a phase on the chart, listed so it can be read in full and removed.
    struct ChartNote: Sendable, Equatable {
        let isPhase: Bool
        let period: String
        let text: String
        let removeURL: String
    }

    /// One row of the data-entry grid: a period and what is recorded for it (blank when nothing is).
    struct GridRow: Sendable, Equatable {
        var period: String
        var value: String
        var denominator: String
        /// What was recorded when the grid was drawn, sent back with it: a value saved meanwhile by
        /// someone else is then told apart from this person's own, and not overwritten unseen.
        var shown: String = ""
    }

    struct Preview: Sendable, Equatable {
        let text: String
        let added: Int
        let replaced: Int
        let errors: [String]
    }
}

extension MeasureShow.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard
            let measure = try await Measure.query(on: db).filter(\.$id == id).with(\.$project).with(\.$standard)
                .first()
        else {
            throw NotFound("measure")
        }
        let series = try await MeasureSeries.load(measure, on: db)
        let annotations = try await MeasureAnnotation.query(on: db).filter(\.$measure.$id == id).sort(\.$period).all()
        let phases = try await PhaseBreak.query(on: db).filter(\.$measure.$id == id).sort(\.$period).all()
        let notes =
            try annotations.map {
                MeasureShow.ChartNote(
                    isPhase: false, period: CalendarDay.label($0.period), text: $0.text,
                    removeURL: SiteURL.measures(
                        .removeAnnotation(measure: .value(id), annotation: .value(try $0.requireID()))
                    )
                    .relativeURL())
            }
            + phases.map {
                MeasureShow.ChartNote(
                    isPhase: true, period: CalendarDay.label($0.period), text: $0.label,
                    removeURL: SiteURL.measures(.removePhase(measure: .value(id), phase: .value(try $0.requireID())))
                        .relativeURL())
            }
        let result = series.result
        let chart = series.chart(title: measure.name, subtitle: measure.unitOfMeasure)
        let owner: PageContext.Link =
            if let project = measure.project, let projectID = project.id {
                .init(label: project.title, url: SiteURL.projects(.show(.value(projectID))).relativeURL())
            } else {
                .init(
                    label: policy.tree.path(of: measure.$unit.id),
                    url: SiteURL.units(.show(.value(measure.$unit.id))).relativeURL())
            }
        return .init(
            id: id, name: measure.name, kind: measure.kind, definition: measure.definition, key: measure.key,
            unitOfMeasure: measure.unitOfMeasure,
            frequency: measure.frequency, chartName: Describe.chartName(measure.chart), direction: measure.improvement,
            target: measure.target, owner: owner, chartSVG: chart.svg(), summary: chart.summary(),
            rows: series.tableRows(result),
            canEdit: try await measure.canEdit(policy: policy, on: db),
            dataForm: FormState(), annotationForm: FormState(), phaseForm: FormState(), preview: nil,
            grid: grid(series.periods, frequency: measure.frequency), usesDenominator: measure.chart.usesDenominator,
            chartNotes: notes.sorted { ($0.period, $0.isPhase ? 1 : 0) < ($1.period, $1.isPhase ? 1 : 0) },
            standard: try measure.standard.map { standard in
                .init(
                    id: try standard.requireID(), name: standard.name,
                    followed: measure.standardVersion ?? standard.definitionVersion,
                    current: standard.definitionVersion, measureVersion: measure.version,
                    changes: MeasureInput.differences(from: measure, to: standard))
            }
        )
    }
}

extension MeasureShow.Model {
    /// The last eight recorded periods and up to four due after them (or, with no data yet, the
    /// twelve up to today), so a team can correct recent values and add new ones in one place.
    /// Nothing after today's period: a value typed for a week not yet lived is a mistake.
    static func grid(_ periods: [MeasureSeries.Period], frequency: DataFrequency, today: Date = AppClock.now)
        -> [MeasureShow.GridRow]
    {
        let recent = periods.suffix(8)
        var rows = recent.map {
            MeasureShow.GridRow(
                period: CalendarDay.text($0.period), value: Describe.plain($0.value),
                denominator: $0.denominator.map { Describe.plain($0) } ?? "", shown: $0.recorded)
        }
        var next = recent.last.map { frequency.period(after: $0.period) }
        if next == nil {
            var start = frequency.start(ofPeriodContaining: today)
            for _ in 0..<11 { start = frequency.period(before: start) }
            next = start
        }
        let now = CalendarDay(containing: today).date
        while rows.count < recent.count + (recent.isEmpty ? 12 : 4), let period = next, period <= now {
            rows.append(.init(period: CalendarDay.text(period), value: "", denominator: ""))
            next = frequency.period(after: period)
        }
        return rows
    }
}

extension MeasureSeries.Period {
    /// What is recorded for the period, as the grid carries it: "12" or "12/40".
    var recorded: String {
        Describe.plain(value) + (denominator.map { "/" + Describe.plain($0) } ?? "")
    }
}

extension DataFrequency {
    /// The start of the period after the one starting on `date`, in UTC.
    func period(after date: Date) -> Date { step(date, by: 1) }

    /// The start of the period before the one starting on `date`, in UTC.
    func period(before date: Date) -> Date { step(date, by: -1) }

    /// Where the period holding `date` starts, as teams count them: the day; the Monday of its
    /// week; the first of its month; the first of its quarter's first month.
    func start(ofPeriodContaining date: Date) -> Date {
        let day = CalendarDay(containing: date)
        switch self {
        case .daily: return day.date
        case .weekly: return day.adding(days: -day.weekday).date
        case .monthly: return day.month.start
        case .quarterly:
            let month = day.month
            return CalendarMonth(year: month.year, month: month.month - (month.month - 1) % 3).start
        }
    }

    private func step(_ date: Date, by count: Int) -> Date {
        let day = CalendarDay(containing: date)
        switch self {
        case .daily: return day.adding(days: count).date
        case .weekly: return day.adding(days: 7 * count).date
        case .monthly: return day.adding(months: count).date
        case .quarterly: return day.adding(months: 3 * count).date
        }
    }
}

extension Measure {
    /// A project's measure is edited by those who edit the project; a unit's by its administrators and QI team.
    func canEdit(policy: Policy, on db: any Database) async throws -> Bool {
        if let projectID = $project.id {
            guard let project = try await Project.withTeam(id: projectID, on: db) else {
                return false
            }
            return policy.allows(.editProject(project.access))
        }
        return policy.allows(.manageUnitMeasures($unit.id))
    }
}

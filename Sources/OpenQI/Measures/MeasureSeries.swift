import Charts
import Fluent
import Foundation
import SPC

/// A measure with its data, annotations and phase breaks, turned into an SPC chart.
package struct MeasureSeries: Sendable {
    package struct Period: Sendable, Equatable {
        package let period: Date
        let value: Double
        let denominator: Double?
        let note: String?
    }

    let measureID: UUID
    let name: String
    let options: SPCOptions
    package let periods: [Period]
    let annotations: [(period: Date, text: String)]
    let phaseBreaks: [(period: Date, label: String)]

    package static func load(_ measure: Measure, on db: any Database) async throws -> MeasureSeries {
        let id = try measure.requireID()
        let periods = try await DataPoint.series(of: [id], on: db)[id] ?? []
        let annotations = try await MeasureAnnotation.query(on: db).filter(\.$measure.$id == id).sort(\.$period).all()
        let breaks = try await PhaseBreak.query(on: db).filter(\.$measure.$id == id).sort(\.$period).all()
        return MeasureSeries(
            measureID: id, name: measure.name, options: measure.options,
            periods: periods,
            annotations: annotations.map { ($0.period, $0.text) }, phaseBreaks: breaks.map { ($0.period, $0.label) }
        )
    }

    /// The points as SPC reads them: one per period, x the ISO date, each in the phase of the latest
    /// break on or before it.
    var spcPoints: [SPCPoint] {
        periods.map { period in
            let phase = phaseBreaks.last { $0.period <= period.period }?.label ?? "Baseline"
            return SPCPoint(
                x: CalendarDay.text(period.period), y: period.value, n: period.denominator,
                phase: phaseBreaks.isEmpty ? nil : phase, note: period.note
            )
        }
    }

    package var result: SPCResult { SPCChart.compute(points: spcPoints, options: options) }

    /// The series as it stood before `end`: its periods, annotations and phase breaks up to then.
    package func before(_ end: Date) -> MeasureSeries {
        MeasureSeries(
            measureID: measureID, name: name, options: options, periods: periods.filter { $0.period < end },
            annotations: annotations.filter { $0.period < end }, phaseBreaks: phaseBreaks.filter { $0.period < end })
    }

    /// The chart's data as a table, a row per period: what was entered, what is plotted, and any
    /// special cause, in words.
    func tableRows(_ result: SPCResult) -> [MeasureShow.Row] {
        func number(_ value: Double) -> String { Describe.plain(value) }
        let centre = result.chart == .run || result.chart == .g ? "median" : "mean"
        return zip(periods, result.points).map { period, point in
            .init(
                period: CalendarDay(containing: period.period).shortLabel, value: number(period.value),
                denominator: period.denominator.map { number($0) } ?? "", plotted: point.y.map { number($0) } ?? "",
                signals: point.pointClass == .common
                    ? ""
                    : "Special cause \(point.pointClass.rawValue): \(Describe.signals(point.signals, centre: centre))",
                note: period.note ?? "", day: CalendarDay(containing: period.period)
            )
        }
    }

    /// Health measures are counts, rates, proportions, times and costs: a series with no value below
    /// zero is drawn, and exported, with no limit below zero either.
    var floor: Double? { periods.allSatisfy { $0.value >= 0 } ? 0 : nil }

    /// The result as the chart draws it and its CSV gives it: lower limits at the floor or above.
    var shownResult: SPCResult { floor.map { ControlChart.limits(of: result, flooredAt: $0) } ?? result }

    /// The chart with annotation flags at their periods (an annotation between periods flags the next one).
    func chart(
        title: String, subtitle: String? = nil, width: Double = 760, height: Double = 360, idPrefix: String = "chart"
    ) -> ControlChart {
        let flags = annotations.compactMap { annotation -> ChartAnnotation? in
            periods.firstIndex { $0.period >= annotation.period }.map {
                ChartAnnotation(index: $0, text: annotation.text)
            }
        }
        return ControlChart(
            result: result, title: title, subtitle: subtitle, annotations: flags,
            showTwoSigma: options.rules == .mdc, width: width, height: height, idPrefix: idPrefix, floor: floor
        )
    }

    /// Each measure's chart as SVG, in order, for pages that show several: ids are prefixed with
    /// `idPrefix` and the position so the charts' titles stay unique on the page.
    /// Drawn once per revision of the organisation's records (`cache`), since a chart changes only
    /// with its measure's data, phases or annotations, and every one of those changes is audited.
    static func charts(
        of measures: [Measure], width: Double = 760, height: Double = 360, idPrefix: String,
        cache: CachedResults = .none, on db: any Database
    ) async throws -> [Chart] {
        var charts: [Chart] = []
        for (index, measure) in measures.enumerated() {
            let prefix = "\(idPrefix)-\(index)"
            let measureID = try measure.requireID()
            let key = ChartKey(measure: measureID, width: width, height: height, idPrefix: prefix)
            let svg = try await cache.value(key) {
                try await load(measure, on: db).chart(
                    title: measure.name, subtitle: measure.unitOfMeasure, width: width, height: height,
                    idPrefix: prefix
                ).svg()
            }
            charts.append(Chart(id: measureID, name: measure.name, kind: measure.kind, svg: svg))
        }
        return charts
    }
}

extension MeasureSeries {
    /// One of the charts a page shows several of (a project's measures, a PDSA cycle's watched ones):
    /// which measure it is, and the drawing.
    struct Chart: Sendable, Equatable {
        let id: UUID
        let name: String
        let kind: MeasureKind
        let svg: String
    }

    /// A measure's chart as SVG, at one size, with its element ids prefixed for the page it is on.
    struct ChartKey: ResultKey {
        let measure: UUID
        let width: Double
        let height: Double
        let idPrefix: String
    }
}

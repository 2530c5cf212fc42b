import Charts
import Foundation
import Plot
import SPC

/// Units (wards, or a programme's teams) compared on one rate or proportion over the same latest
/// periods: where each stands against limits for its size, as a funnel plot and a "safety table",
/// so nobody reads the noise of a league table. The units' comparison page and a programme's
/// dashboard both compare this way.
struct FunnelComparison: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        /// Its dot's number on the funnel plot; nil when it has no value to draw.
        let dot: Int?
        let unitName: String
        let measureID: UUID
        let count: Double
        let size: Double
        /// The rate or proportion, multiplied for display.
        let value: Double?
        let limits95: ClosedRange<Double>?
        let limits998: ClosedRange<Double>?
        let position: Funnel.Position
        /// The position in words, for this measure's direction.
        let standing: String
    }

    /// One unit's series of the measure. A unit (`group`) with two is compared on the one with the
    /// most in the window.
    struct Entrant: Sendable {
        let group: UUID
        let name: String
        let measureID: UUID
        let periods: [MeasureSeries.Period]
    }

    /// How the measure is counted and read, the same for every entrant.
    struct Definition: Sendable {
        let name: String
        let kind: Funnel.Kind
        let multiply: Double
        let frequency: DataFrequency
        let direction: ImprovementDirection
        let unitOfMeasure: String?
    }

    /// The first and last period compared, the same for every unit.
    var window: ClosedRange<Date>?
    var funnelSVG: String?
    /// Beyond the limits on the worse side first, then the better, then within; by name inside each.
    var rows: [Row] = []
    var overall: Double?
    /// φ when the limits were widened for the spread between units.
    var widenedFor: Double?
    /// Why there is no funnel, when there is none.
    var explanation: String?

    static let defaultPeriods = 12

    /// Limits as a range, or none when the data left them undefined (a range with a NaN bound or
    /// the wrong way round would stop the process).
    static func limits(_ lower: Double, _ upper: Double) -> ClosedRange<Double>? {
        lower.isFinite && upper.isFinite && lower <= upper ? lower...upper : nil
    }

    /// Where the latest `periods` periods up to `last` begin (exclusive): a week, a month or a
    /// quarter per period, so units whose periods are dated a day or two apart fall in the same
    /// window.
    static func windowStart(last: Date, periods: Int, frequency: DataFrequency) -> Date {
        let day: TimeInterval = 86_400
        switch frequency {
        case .daily: return last.addingTimeInterval(-Double(periods) * day)
        case .weekly: return last.addingTimeInterval(-Double(periods) * 7 * day)
        case .monthly, .quarterly:
            let months = frequency == .monthly ? periods : 3 * periods
            let month = CalendarMonth(containing: last).advanced(by: -months)
            // The same day of that month, or its last day.
            let offset = last.timeIntervalSince(CalendarMonth(containing: last).start)
            return min(month.start.addingTimeInterval(offset), month.end.addingTimeInterval(-day))
        }
    }

    /// The order of the safety table: beyond the limits on the worse side first, then the better
    /// side, then within; by name inside each, never by rate.
    static func rank(_ position: Funnel.Position, direction: ImprovementDirection) -> Int {
        let worseHigh = direction != .up
        switch position {
        case .above998: return worseHigh ? 0 : 3
        case .above95: return worseHigh ? 1 : 2
        case .below998: return worseHigh ? 3 : 0
        case .below95: return worseHigh ? 2 : 1
        case .within: return 4
        case .noData: return 5
        }
    }

    /// Compares the entrants over the latest `periods` periods any of them has, counted back from
    /// the latest (a period dated after `now` is a mistake, not the latest): a unit whose data
    /// stopped is not compared over older periods, and units dating their periods differently
    /// still share them.
    static func compare(
        _ entrants: [Entrant], on definition: Definition, periods: Int, now: Date, idPrefix: String
    ) -> FunnelComparison {
        var comparison = FunnelComparison()
        let dates = entrants.flatMap { $0.periods.map(\.period) }
        guard let last = dates.filter({ $0 <= now }).max() else {
            comparison.explanation = "No unit has data for “\(definition.name)” yet."
            return comparison
        }
        let from = windowStart(last: last, periods: periods, frequency: definition.frequency)
        let firstPeriod = dates.filter { $0 > from && $0 <= last }.min() ?? last
        comparison.window = firstPeriod...last
        var perGroup: [UUID: (entrant: Entrant, unit: Funnel.Unit)] = [:]
        for entrant in entrants {
            let inWindow = entrant.periods.filter {
                $0.period > from && $0.period <= last && ($0.denominator ?? 0) > 0
            }
            let unit = Funnel.Unit(
                name: entrant.name, count: inWindow.reduce(0) { $0 + $1.value },
                size: inWindow.reduce(0) { $0 + ($1.denominator ?? 0) })
            if let kept = perGroup[entrant.group], kept.unit.size >= unit.size { continue }
            perGroup[entrant.group] = (entrant, unit)
        }
        let compared = perGroup.values.sorted { $0.unit.name < $1.unit.name }
        let analysis = Funnel.analyse(compared.map(\.unit), kind: definition.kind)
        guard analysis.centre.isFinite else {
            comparison.explanation =
                "No unit has a denominator above 0 in the latest \(periods) periods of “\(definition.name)”, so there is no rate to compare."
            return comparison
        }
        let multiply = definition.multiply
        comparison.overall = analysis.centre * multiply
        comparison.widenedFor = analysis.isAdjusted ? analysis.dispersion : nil
        let plot = FunnelPlot(
            analysis: analysis, direction: definition.direction,
            title:
                "\(definition.name), \(CalendarDay(containing: firstPeriod).shortLabel) to \(CalendarDay(containing: last).shortLabel)",
            sizeLabel: definition.kind == .proportion
                ? "denominator (how many were counted)" : "denominator (exposure)",
            valueLabel: definition.unitOfMeasure ?? "", multiply: multiply, idPrefix: idPrefix)
        comparison.funnelSVG = plot.svg()
        comparison.rows = zip(compared, plot.dotNumbers).map { entrantAndUnit, dot in
            let (entrant, unit) = entrantAndUnit
            let position = analysis.position(of: unit)
            let limits = unit.value.map { _ in analysis.limits(at: unit.size) }
            return Row(
                dot: dot, unitName: unit.name, measureID: entrant.measureID, count: unit.count, size: unit.size,
                value: unit.value.map { $0 * multiply },
                limits95: limits.flatMap { Self.limits($0.lower95 * multiply, $0.upper95 * multiply) },
                limits998: limits.flatMap { Self.limits($0.lower998 * multiply, $0.upper998 * multiply) },
                position: position, standing: plot.describe(position))
        }.sorted {
            let (a, b) = (
                rank($0.position, direction: definition.direction), rank($1.position, direction: definition.direction)
            )
            return a != b ? a < b : $0.unitName < $1.unitName
        }
        return comparison
    }
}

extension Node where Context == HTML.BodyContext {
    /// The funnel plot, what widened its limits, and the safety table of `comparison`; `entity`
    /// names a row ("Unit", "Team"); `aside` comes before the table.
    static func funnelComparison(
        _ comparison: FunnelComparison, measure name: String?, unitOfMeasure: String?, entity: String,
        aside: Node = .empty
    ) -> Node {
        .group(
            .unwrap(comparison.explanation) { .p(.class("notice"), .text($0)) },
            .unwrap(comparison.funnelSVG) { .chart($0, kind: "funnel") },
            .unwrap(comparison.widenedFor) { phi in
                .p(
                    .class("hint"),
                    .text(
                        "The \(entity.lowercased())s vary more than chance alone would make them (φ = \(Describe.plain(phi))), as wards do in case mix and how they record, so the limits are widened for it (Spiegelhalter, 2005). A \(entity.lowercased()) outside them stands out from that spread too."
                    ))
            },
            aside,
            comparison.rows.isEmpty
                ? .empty : safetyTable(comparison, measure: name, unitOfMeasure: unitOfMeasure, entity: entity))
    }

    private static func safetyTable(
        _ comparison: FunnelComparison, measure name: String?, unitOfMeasure: String?, entity: String
    ) -> Node {
        let window =
            comparison.window.map {
                " \(CalendarDay(containing: $0.lowerBound).shortLabel) to \(CalendarDay(containing: $0.upperBound).shortLabel);"
            }
            ?? ""
        func range(_ limits: ClosedRange<Double>?) -> String {
            limits.map { "\(Describe.plain($0.lowerBound)) to \(Describe.plain($0.upperBound))" } ?? "—"
        }
        func cssClass(_ position: Funnel.Position) -> String {
            switch position {
            case .above998, .below998: "beyond-998"
            case .above95, .below95: "beyond-95"
            case .within: "within"
            case .noData: "no-data"
            }
        }
        return .scrollingTable(
            .class("data-table safety-table"),
            .caption(
                .text(
                    "\(name ?? "") \(unitOfMeasure ?? ""),\(window) overall \(comparison.overall.map { Describe.plain($0) } ?? "—"). \(entity)s beyond the limits first, then by name; each one’s number is its dot on the plot."
                )),
            .thead(
                .tr(
                    .th(.scope("col"), .text(entity)), .th(.scope("col"), .class("number"), .text("Count")),
                    .th(.scope("col"), .class("number"), .text("Denominator")),
                    .th(.scope("col"), .class("number"), .text("Rate")),
                    .th(.scope("col"), .class("number"), .text("95% limits for its size")),
                    .th(.scope("col"), .class("number"), .text("99.8% limits")),
                    .th(.scope("col"), .text("Where it stands")))),
            .tbody(
                .forEach(comparison.rows) { row in
                    .tr(
                        .class(cssClass(row.position)),
                        .th(
                            .scope("row"),
                            .unwrap(row.dot) { .span(.class("dot-number"), .text("\($0).")) },
                            .a(.href(SiteURL.measures(.show(.value(row.measureID))).relativeURL()), .text(row.unitName))
                        ),
                        .td(.class("number"), .text(Describe.plain(row.count))),
                        .td(.class("number"), .text(Describe.plain(row.size))),
                        .td(.class("number"), .text(row.value.map { Describe.plain($0) } ?? "—")),
                        .td(.class("number"), .text(range(row.limits95))),
                        .td(.class("number"), .text(range(row.limits998))),
                        .td(.text(row.standing)))
                }))
    }
}

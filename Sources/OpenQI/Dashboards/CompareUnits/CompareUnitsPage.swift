import Charts
import Fluent
import Foundation
import Plot
import SPC
import Vapor

/// One measure many units share (falls per 1,000 bed days on every ward): a funnel plot and a
/// "safety table" of each unit against limits for its size, so a team sees where it stands
/// without the noise of a league table. Units are compared over the same latest periods.
enum CompareUnitsPage {
    /// Limits as a range, or none when the data left them undefined (a range with a NaN bound or
    /// the wrong way round would stop the process).
    static func limits(_ lower: Double, _ upper: Double) -> ClosedRange<Double>? {
        lower.isFinite && upper.isFinite && lower <= upper ? lower...upper : nil
    }

    struct Row: Sendable, Equatable {
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

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// Measures at least three units below this one share (by name, whatever the spelling): the
        /// value to choose each by, and its name.
        var shared: [FormField.Option]
        var chosen: String?
        var chosenName: String?
        var periods: Int
        /// The first and last period compared, the same for every unit.
        var window: ClosedRange<Date>?
        var unitOfMeasure: String?
        var funnelSVG: String?
        /// Why there is no funnel, when there is none.
        var explanation: String?
        /// Units left out because they measure it differently.
        var leftOut: [String]
        var rows: [Row]
        var overall: Double?
        /// φ when the limits were widened for the spread between units.
        var widenedFor: Double?
    }

    static let defaultPeriods = 12
    static let minimumUnits = 3

    /// What makes measures of one name comparable: the same chart, scale and frequency.
    struct Definition: Hashable {
        let chart: ChartType
        let multiply: Double
        let frequency: DataFrequency
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
}

extension CompareUnitsPage.Model {
    static func query(
        unitID: UUID, name: String?, periods: Int, policy: Policy, on db: any Database, now: Date = AppClock.now
    ) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw NotFound("unit")
        }
        let units = Array(tree.subtree(of: unitID))
        let all = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$project.$id == nil)
            .filter(\.$archivedAt == nil)
            .field(\.$id).field(\.$name).field(\.$unit.$id).field(\.$unitOfMeasure).field(\.$frequency)
            .field(\.$chartType).field(\.$rules).field(\.$direction).field(\.$target).field(\.$multiply)
            .field(\.$standard.$id).all()
        // Measures made from one standard measure are one indicator, whatever each unit calls it.
        let byName = Dictionary(grouping: all) { EarlyWarningPage.indicatorKey(of: $0) }
        let standards = try await EarlyWarningPage.standardNames(of: all, on: db)
        let named = byName.filter { Set($0.value.map(\.$unit.id)).count >= CompareUnitsPage.minimumUnits }
            .map { key, measures in
                (key: key, name: standards[key] ?? measures.map(\.name).sorted().mostCommon ?? key)
            }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
        let shared = zip(named, EarlyWarningPage.distinct(named.map { ($0.key, $0.name) })).map {
            (key: $0.0.key, name: $0.1)
        }
        var model = Self(
            unitID: unitID, unitPath: tree.path(of: unitID),
            shared: shared.map { .init(value: $0.key, label: $0.name) }, chosen: nil, chosenName: nil,
            periods: periods, window: nil, unitOfMeasure: nil, funnelSVG: nil, explanation: nil, leftOut: [],
            rows: [], overall: nil, widenedFor: nil)
        // Chosen from the list (its key), or named in a link (a standard measure by its name too).
        let asked = name.map(EarlyWarningPage.indicatorKey)
        let chosenKey =
            asked.map { asked in
                shared.first { $0.key == asked }?.key
                    ?? shared.first { EarlyWarningPage.indicatorKey($0.name) == asked }?.key ?? asked
            } ?? shared.first?.key
        guard let key = chosenKey, let choice = shared.first(where: { $0.key == key }), let group = byName[key] else {
            if let name, !name.isEmpty {
                model.explanation =
                    "No measure called “\(name)” is shared by three or more units here. Choose one from the list."
            }
            return model
        }
        model.chosen = key
        model.chosenName = choice.name
        // Units that measure it differently (another chart, scale or frequency) cannot share a funnel.
        guard
            let definition = group.map({
                CompareUnitsPage.Definition(chart: $0.chart, multiply: $0.multiply, frequency: $0.frequency)
            }).mostCommon
        else { return model }
        let comparable = group.filter {
            CompareUnitsPage.Definition(chart: $0.chart, multiply: $0.multiply, frequency: $0.frequency) == definition
        }
        model.leftOut = group.filter { measure in !comparable.contains { $0 === measure } }.map {
            "\(tree.path(of: $0.$unit.id, below: unitID)) (\(Describe.chartName($0.chart).lowercased()), \($0.frequency.label.lowercased())\($0.multiply == definition.multiply ? "" : ", × \(Describe.plain($0.multiply))"))"
        }.sorted()
        let first = comparable.sorted { $0.$unit.id.uuidString < $1.$unit.id.uuidString }[0]
        model.unitOfMeasure = first.unitOfMeasure
        let kind: Funnel.Kind
        switch definition.chart {
        case .p, .pp: kind = .proportion
        case .u, .up: kind = .rate
        default:
            model.explanation =
                "A funnel plot compares counts against a denominator (a p or u chart). “\(choice.name)” is a \(Describe.chartName(definition.chart).lowercased()), so the units cannot be put on one funnel."
            return model
        }
        let series = try await DataPoint.series(of: try comparable.map { try $0.requireID() }, on: db)
        // The same latest periods for every unit, counted back from the latest any unit has (a
        // period dated in the future is a mistake, not the latest): a ward whose data stopped is
        // not compared over older weeks, and wards dating their weeks differently still share them.
        guard let last = series.values.flatMap({ $0.map(\.period) }).filter({ $0 <= now }).max() else {
            model.explanation = "No unit has data for “\(choice.name)” yet."
            return model
        }
        let from = CompareUnitsPage.windowStart(last: last, periods: periods, frequency: definition.frequency)
        let firstPeriod = series.values.flatMap { $0.map(\.period) }.filter { $0 > from && $0 <= last }.min() ?? last
        model.window = firstPeriod...last
        // A unit with two measures of this name is compared on the one with the most data in the window.
        var perUnit: [UUID: (measure: Measure, unit: Funnel.Unit)] = [:]
        for measure in comparable {
            let inWindow = (series[try measure.requireID()] ?? []).filter {
                $0.period > from && $0.period <= last && ($0.denominator ?? 0) > 0
            }
            let unit = Funnel.Unit(
                name: tree.path(of: measure.$unit.id, below: unitID), count: inWindow.reduce(0) { $0 + $1.value },
                size: inWindow.reduce(0) { $0 + ($1.denominator ?? 0) })
            if let kept = perUnit[measure.$unit.id], kept.unit.size >= unit.size { continue }
            perUnit[measure.$unit.id] = (measure, unit)
        }
        let compared = perUnit.values.sorted { $0.unit.name < $1.unit.name }
        let analysis = Funnel.analyse(compared.map(\.unit), kind: kind)
        guard analysis.centre.isFinite else {
            model.explanation =
                "No unit has a denominator above 0 in the latest \(periods) periods of “\(choice.name)”, so there is no rate to compare."
            return model
        }
        let multiply = definition.multiply
        model.overall = analysis.centre * multiply
        model.widenedFor = analysis.isAdjusted ? analysis.dispersion : nil
        let plot = FunnelPlot(
            analysis: analysis, direction: first.improvement,
            title:
                "\(choice.name), \(CalendarDay(containing: firstPeriod).shortLabel) to \(CalendarDay(containing: last).shortLabel)",
            sizeLabel: kind == .proportion ? "denominator (how many were counted)" : "denominator (exposure)",
            valueLabel: first.unitOfMeasure ?? "", multiply: multiply, idPrefix: "compare")
        model.funnelSVG = plot.svg()
        model.rows = try compared.map { measure, unit in
            let position = analysis.position(of: unit)
            let limits = unit.value.map { _ in analysis.limits(at: unit.size) }
            return .init(
                unitName: unit.name, measureID: try measure.requireID(), count: unit.count, size: unit.size,
                value: unit.value.map { $0 * multiply },
                limits95: limits.flatMap { CompareUnitsPage.limits($0.lower95 * multiply, $0.upper95 * multiply) },
                limits998: limits.flatMap { CompareUnitsPage.limits($0.lower998 * multiply, $0.upper998 * multiply) },
                position: position, standing: plot.describe(position))
        }.sorted {
            let (a, b) = (
                CompareUnitsPage.rank($0.position, direction: first.improvement),
                CompareUnitsPage.rank($1.position, direction: first.improvement)
            )
            return a != b ? a < b : $0.unitName < $1.unitName
        }
        return model
    }

}

extension CompareUnitsPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Compare units — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Compare units",
                    lead:
                        "Each unit against limits for its size: a small ward’s rate swings more by chance than a large one’s. Units inside the funnel differ only by chance; look at those outside it, not at the order."
                ),
                model.shared.isEmpty
                    ? .p(.class("empty"), .text("No measure is shared by three or more units below \(model.unitPath)."))
                    : .getForm(
                        action: SiteURL.units(.compare(.value(model.unitID))).relativeURL(), class: "filters",
                        .formField(
                            FormField(name: "measure", label: "Measure", control: .select(model.shared)),
                            state: FormState(values: ["measure": model.chosen ?? ""])),
                        .formField(
                            FormField(name: "periods", label: "Latest periods", control: .number),
                            state: FormState(values: ["periods": "\(model.periods)"])),
                        .button(.type(.submit), .class("button secondary"), .text("Compare"))),
                .unwrap(model.explanation) { .p(.class("notice"), .text($0)) },
                .unwrap(model.funnelSVG) { .chart($0, kind: "funnel") },
                .unwrap(model.widenedFor) { phi in
                    .p(
                        .class("hint"),
                        .text(
                            "The units vary more than chance alone would make them (φ = \(Describe.plain(phi))), as wards do in case mix and how they record, so the limits are widened for it (Spiegelhalter, 2005). A unit outside them stands out from that spread too."
                        ))
                },
                model.leftOut.isEmpty
                    ? .empty
                    : .p(
                        .class("hint"),
                        .text(
                            "Left out, because they measure it differently from most units: \(model.leftOut.joined(separator: "; "))."
                        )),
                model.rows.isEmpty ? .empty : table()
            )
        }

        private func table() -> Node<HTML.BodyContext> {
            let window =
                model.window.map {
                    " \(CalendarDay(containing: $0.lowerBound).shortLabel) to \(CalendarDay(containing: $0.upperBound).shortLabel);"
                }
                ?? ""
            return .scrollingTable(
                .class("data-table safety-table"),
                .caption(
                    .text(
                        "\(model.chosenName ?? "") \(model.unitOfMeasure ?? ""),\(window) overall \(model.overall.map { Describe.plain($0) } ?? "—"). Units beyond the limits first, then by name."
                    )),
                .thead(
                    .tr(
                        .th(.scope("col"), .text("Unit")), .th(.scope("col"), .class("number"), .text("Count")),
                        .th(.scope("col"), .class("number"), .text("Denominator")),
                        .th(.scope("col"), .class("number"), .text("Rate")),
                        .th(.scope("col"), .class("number"), .text("95% limits for its size")),
                        .th(.scope("col"), .class("number"), .text("99.8% limits")),
                        .th(.scope("col"), .text("Where it stands")))),
                .tbody(
                    .forEach(model.rows) { row in
                        .tr(
                            .class(Self.cssClass(row.position)),
                            .th(
                                .scope("row"),
                                .a(
                                    .href(SiteURL.measures(.show(.value(row.measureID))).relativeURL()),
                                    .text(row.unitName))),
                            .td(.class("number"), .text(Describe.plain(row.count))),
                            .td(.class("number"), .text(Describe.plain(row.size))),
                            .td(.class("number"), .text(row.value.map { Describe.plain($0) } ?? "—")),
                            .td(.class("number"), .text(Self.range(row.limits95))),
                            .td(.class("number"), .text(Self.range(row.limits998))),
                            .td(.text(row.standing)))
                    }))
        }

        static func range(_ limits: ClosedRange<Double>?) -> String {
            limits.map { "\(Describe.plain($0.lowerBound)) to \(Describe.plain($0.upperBound))" } ?? "—"
        }

        static func cssClass(_ position: Funnel.Position) -> String {
            switch position {
            case .above998, .below998: "beyond-998"
            case .above95, .below95: "beyond-95"
            case .within: "within"
            case .noData: "no-data"
            }
        }
    }
}

enum CompareUnitsController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let periods = min(max(req.query["periods"].flatMap { Int($0) } ?? CompareUnitsPage.defaultPeriods, 1), 520)
        let model = try await CompareUnitsPage.Model.query(
            unitID: try req.idParameter("unitID"), name: req.query["measure"], periods: periods, policy: policy,
            on: req.db)
        return CompareUnitsPage.View(context: try await req.pageContext(), model: model).response()
    }
}

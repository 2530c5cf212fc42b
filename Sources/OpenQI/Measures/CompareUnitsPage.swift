import Charts
import Fluent
import Foundation
import Plot
import SPC
import Vapor

/// One measure many units share (falls per 1,000 bed days on every ward): a funnel plot and a
/// "safety table" of each unit against limits for its size, so a team sees where it stands
/// without the noise of a league table. Units are compared over their latest periods.
enum CompareUnitsPage {
    struct Row: Sendable, Equatable {
        let unitName: String
        let measureID: UUID
        let count: Double
        let size: Double
        /// The rate or proportion, multiplied for display.
        let value: Double?
        let lower3: Double
        let upper3: Double
        let position: Position
    }

    enum Position: String, Sendable, Equatable {
        case above3 = "Higher than expected (beyond 3σ)"
        case above2 = "Higher, worth a look (beyond 2σ)"
        case within = "Within the limits"
        case below2 = "Lower, worth a look (beyond 2σ)"
        case below3 = "Lower than expected (beyond 3σ)"
        case noData = "No data"

        var cssClass: String {
            switch self {
            case .above3, .below3: "beyond-3"
            case .above2, .below2: "beyond-2"
            case .within: "within"
            case .noData: "no-data"
            }
        }
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// Names of measures at least three units below this one have, for the chooser.
        var sharedNames: [String]
        var chosen: String?
        var periods: Int
        var unitOfMeasure: String?
        var funnelSVG: String?
        /// Why there is no funnel, when there is none.
        var explanation: String?
        var rows: [Row]
        var overall: Double?
    }

    static let defaultPeriods = 12
}

extension CompareUnitsPage.Model {
    static func query(unitID: UUID, name: String?, periods: Int, policy: Policy, on db: any Database) async throws
        -> Self
    {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw Abort(.notFound, reason: "There is no unit with this address. It may have been mistyped.")
        }
        let units = Array(tree.subtree(of: unitID))
        let all = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$project.$id == nil)
            .filter(\.$archivedAt == nil).field(\.$id).field(\.$name).field(\.$unit.$id).all()
        var unitsPerName: [String: Set<UUID>] = [:]
        for measure in all { unitsPerName[measure.name, default: []].insert(measure.$unit.id) }
        let shared = unitsPerName.filter { $0.value.count >= 3 }.keys.sorted()
        var model = Self(
            unitID: unitID, unitPath: tree.path(of: unitID), sharedNames: shared, chosen: nil, periods: periods,
            unitOfMeasure: nil, funnelSVG: nil, explanation: nil, rows: [], overall: nil)
        guard let name = name ?? shared.first, shared.contains(name) else { return model }
        model.chosen = name
        let measures = try await Measure.query(on: db).filter(\.$unit.$id ~~ units).filter(\.$project.$id == nil)
            .filter(\.$archivedAt == nil).filter(\.$name == name).all()
        guard let first = measures.first else { return model }
        model.unitOfMeasure = first.unitOfMeasure
        let kind: FunnelPlot.Measure
        switch first.chart {
        case .p, .pp: kind = .proportion
        case .u, .up: kind = .rate
        default:
            model.explanation =
                "A funnel plot compares counts against a denominator (a p or u chart). “\(name)” is a \(Describe.chartName(first.chart)), so the units cannot be put on one funnel."
            return model
        }
        let ids = try measures.map { try $0.requireID() }
        let byMeasure = try await DataPoint.series(of: ids, on: db)
        let totals = try measures.map { measure -> (Measure, Funnel.Unit) in
            let latest = (byMeasure[try measure.requireID()] ?? []).suffix(periods)
            return (
                measure,
                Funnel.Unit(
                    name: tree.path(of: measure.$unit.id, below: unitID), count: latest.reduce(0) { $0 + $1.value },
                    size: latest.reduce(0) { $0 + ($1.denominator ?? 0) })
            )
        }
        let funnelUnits = totals.map(\.1)
        let overall = Funnel.overall(funnelUnits)
        let multiply = first.multiply
        model.overall = overall.isFinite ? overall * multiply : nil
        model.funnelSVG =
            FunnelPlot(
                units: funnelUnits, measure: kind, title: "\(name), latest \(periods) periods", multiply: multiply,
                idPrefix: "compare"
            ).svg()
        model.rows = try totals.map { measure, unit in
            let limits =
                (kind == .proportion
                ? Funnel.proportionLimits(overall: overall, sizes: [unit.size])
                : Funnel.rateLimits(overall: overall, exposures: [unit.size])).first
            let position: CompareUnitsPage.Position
            if let value = unit.value, let limits {
                position =
                    value > limits.upper3
                    ? .above3
                    : value > limits.upper2
                        ? .above2 : value < limits.lower3 ? .below3 : value < limits.lower2 ? .below2 : .within
            } else {
                position = .noData
            }
            return .init(
                unitName: unit.name, measureID: try measure.requireID(), count: unit.count, size: unit.size,
                value: unit.value.map { $0 * multiply }, lower3: (limits?.lower3 ?? .nan) * multiply,
                upper3: (limits?.upper3 ?? .nan) * multiply, position: position)
        }.sorted { ($0.value ?? -.infinity, $1.unitName) > ($1.value ?? -.infinity, $0.unitName) }
        return model
    }
}

extension CompareUnitsPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Compare units — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Units", url: SiteURL.units(.index).relativeURL()),
                .init(label: model.unitPath, url: SiteURL.units(.show(.value(model.unitID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("Compare units")),
                .p(
                    .class("lead"),
                    .text(
                        "Each unit against limits for its size: a small ward’s rate swings more by chance than a large one’s. Units inside the funnel differ only by chance; look at those outside it, not at the order."
                    )),
                model.sharedNames.isEmpty
                    ? .p(.class("empty"), .text("No measure is shared by three or more units below \(model.unitPath)."))
                    : .getForm(
                        action: SiteURL.units(.compare(.value(model.unitID))).relativeURL(), class: "filters",
                        .formField(
                            FormField(
                                name: "measure", label: "Measure",
                                control: .select(model.sharedNames.map { .init(value: $0, label: $0) })),
                            state: FormState(values: ["measure": model.chosen ?? "", "periods": "\(model.periods)"])),
                        .formField(
                            FormField(name: "periods", label: "Latest periods", control: .number),
                            state: FormState(values: ["periods": "\(model.periods)"])),
                        .button(.type(.submit), .class("button secondary"), .text("Compare"))),
                .unwrap(model.explanation) { .p(.class("notice"), .text($0)) },
                .unwrap(model.funnelSVG) { .div(.class("chart funnel"), .raw($0)) },
                model.rows.isEmpty
                    ? .empty
                    : .table(
                        .class("data-table safety-table"),
                        .caption(
                            .text(
                                "\(model.chosen ?? "") \(model.unitOfMeasure ?? ""), latest \(model.periods) periods; overall \(model.overall.map { Describe.plain($0) } ?? "—")"
                            )),
                        .thead(
                            .tr(
                                .th(.text("Unit")), .th(.class("number"), .text("Count")),
                                .th(.class("number"), .text("Denominator")), .th(.class("number"), .text("Rate")),
                                .th(.class("number"), .text("3σ limits for its size")), .th(.text("Where it stands")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .class(row.position.cssClass),
                                    .th(
                                        .scope("row"),
                                        .a(
                                            .href(SiteURL.measures(.show(.value(row.measureID))).relativeURL()),
                                            .text(row.unitName))),
                                    .td(.class("number"), .text(Describe.plain(row.count))),
                                    .td(.class("number"), .text(Describe.plain(row.size))),
                                    .td(.class("number"), .text(row.value.map { Describe.plain($0) } ?? "—")),
                                    .td(
                                        .class("number"),
                                        .text(
                                            row.value == nil
                                                ? "—" : "\(Describe.plain(row.lower3)) to \(Describe.plain(row.upper3))"
                                        )),
                                    .td(.text(row.position.rawValue)))
                            }))
            )
        }
    }
}

enum CompareUnitsController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.readOrganisation)
        let periods = min(max(req.query["periods"].flatMap { Int($0) } ?? CompareUnitsPage.defaultPeriods, 1), 520)
        let model = try await CompareUnitsPage.Model.query(
            unitID: try req.idParameter("unitID"), name: req.query["measure"], periods: periods, policy: policy,
            on: req.db)
        return CompareUnitsPage.View(context: try await req.pageContext(), model: model).response()
    }
}

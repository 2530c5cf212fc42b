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
    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// Measures at least three units below this one share (by name, whatever the spelling): the
        /// value to choose each by, and its name.
        var shared: [FormField.Option]
        var chosen: String?
        var chosenName: String?
        var periods: Int
        var unitOfMeasure: String?
        /// Why there is no comparison, when the measure chosen cannot have one.
        var explanation: String?
        /// Units left out because they measure it differently.
        var leftOut: [String]
        var comparison = FunnelComparison()
    }

    static let minimumUnits = 3

    /// What makes measures of one name comparable: the same chart, scale and frequency.
    struct Definition: Hashable {
        let chart: ChartType
        let multiply: Double
        let frequency: DataFrequency
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
            periods: periods, unitOfMeasure: nil, explanation: nil, leftOut: [])
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
        model.comparison = FunnelComparison.compare(
            try comparable.map { measure in
                let id = try measure.requireID()
                return .init(
                    group: measure.$unit.id, name: tree.path(of: measure.$unit.id, below: unitID), measureID: id,
                    periods: series[id] ?? [])
            },
            on: .init(
                name: choice.name, kind: kind, multiply: definition.multiply, frequency: definition.frequency,
                direction: first.improvement, unitOfMeasure: first.unitOfMeasure),
            periods: periods, now: now, idPrefix: "compare")
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
                .funnelComparison(
                    model.comparison, measure: model.chosenName, unitOfMeasure: model.unitOfMeasure, entity: "Unit",
                    aside: model.leftOut.isEmpty
                        ? .empty
                        : .p(
                            .class("hint"),
                            .text(
                                "Left out, because they measure it differently from most units: \(model.leftOut.joined(separator: "; "))."
                            )))
            )
        }
    }
}

enum CompareUnitsController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let periods = min(max(req.query["periods"].flatMap { Int($0) } ?? FunnelComparison.defaultPeriods, 1), 520)
        let model = try await CompareUnitsPage.Model.query(
            unitID: try req.idParameter("unitID"), name: req.query["measure"], periods: periods, policy: policy,
            on: req.db)
        return CompareUnitsPage.View(context: try await req.pageContext(), model: model).response()
    }
}

import Charts
import Fluent
import Foundation
import Plot
import SPC
import Vapor

/// Wards × their safety and staffing indicators, each cell coloured by the latest point's special
/// cause status, so a ward with unusual patterns on several indicators stands out before a serious
/// incident. Read from the measures' cached summaries.
enum EarlyWarningPage {
    struct Cell: Sendable, Equatable {
        let measureID: UUID
        let variation: VariationIcon?
        let latestValue: Double?
    }

    struct Ward: Sendable, Equatable {
        let id: UUID
        let name: String
        let cells: [String: Cell]
        var concerns: Int { cells.values.filter { $0.variation?.isConcern == true }.count }
    }

    struct Model: Sendable, Equatable {
        var unitID: UUID
        var unitPath: String
        /// The indicators most wards report, in the order most wards have them; at most eight.
        var indicators: [String]
        /// Wards with the most concerns first.
        var wards: [Ward]
    }

    static let maximumIndicators = 8
}

extension EarlyWarningPage.Model {
    static func query(unitID: UUID, policy: Policy, on db: any Database) async throws -> Self {
        let tree = policy.tree
        guard tree.nodes[unitID] != nil else {
            throw Abort(.notFound, reason: "There is no unit with this address. It may have been mistyped.")
        }
        let wardIDs = tree.subtree(of: unitID).filter {
            tree.nodes[$0]?.kind == .ward && tree.nodes[$0]?.isArchived == false
        }
        let measures =
            wardIDs.isEmpty
            ? []
            : try await Measure.query(on: db).filter(\.$unit.$id ~~ Array(wardIDs)).filter(\.$project.$id == nil)
                .filter(\.$archivedAt == nil)
                .join(MeasureSummary.self, on: \Measure.$id == \MeasureSummary.$measure.$id, method: .left).all()
        var frequency: [String: Int] = [:]
        for measure in measures { frequency[measure.name, default: 0] += 1 }
        let indicators = frequency.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(
            EarlyWarningPage.maximumIndicators
        )
        .map(\.key)
        var cells: [UUID: [String: EarlyWarningPage.Cell]] = [:]
        for measure in measures where indicators.contains(measure.name) {
            let summary = try? measure.joined(MeasureSummary.self)
            cells[measure.$unit.id, default: [:]][measure.name] = .init(
                measureID: try measure.requireID(),
                variation: summary.flatMap { $0.points > 0 ? $0.variationIcon : nil },
                latestValue: summary?.latestValue)
        }
        let wards = wardIDs.compactMap { id -> EarlyWarningPage.Ward? in
            guard tree.nodes[id] != nil else { return nil }
            return .init(id: id, name: tree.path(of: id, below: unitID), cells: cells[id] ?? [:])
        }.sorted { ($1.concerns, $0.name) < ($0.concerns, $1.name) }
        return .init(unitID: unitID, unitPath: tree.path(of: unitID), indicators: indicators, wards: wards)
    }
}

extension EarlyWarningPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Ward early warning — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Units", url: SiteURL.units(.index).relativeURL()),
                .init(label: model.unitPath, url: SiteURL.units(.show(.value(model.unitID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("Ward early warning")),
                .p(
                    .class("lead"),
                    .text(
                        "Each ward’s safety and staffing indicators, coloured by the latest point: orange is special cause concern, blue improvement, grey common cause. Wards with the most concerns come first."
                    )),
                model.wards.isEmpty || model.indicators.isEmpty
                    ? .p(.class("empty"), .text("No ward below this unit has indicators yet."))
                    : .table(
                        .class("early-warning"),
                        .caption(.text("\(model.wards.count) wards")),
                        .thead(
                            .tr(
                                .th(.text("Ward")), .th(.text("Concerns")),
                                .forEach(model.indicators) { .th(.scope("col"), .text($0)) })
                        ),
                        .tbody(.forEach(model.wards) { row($0) })
                    )
            )
        }

        private func row(_ ward: Ward) -> Node<HTML.TableContext> {
            .tr(
                .class(ward.concerns >= 2 ? "stands-out" : ""),
                .th(
                    .scope("row"),
                    .a(.href(SiteURL.units(.measures(.value(ward.id))).relativeURL()), .text(ward.name))),
                .td(.class("number"), .text("\(ward.concerns)")),
                .forEach(model.indicators) { indicator -> Node<HTML.TableRowContext> in
                    guard let cell = ward.cells[indicator] else { return .td(.class("no-data"), .text("—")) }
                    let state = cell.variation.map(Self.state) ?? "no-data"
                    return .td(
                        .class("cell \(state)"),
                        .a(
                            .href(SiteURL.measures(.show(.value(cell.measureID))).relativeURL()),
                            .attribute(
                                named: "title",
                                value: cell.variation.map { Describe.variation($0) }?.attributeEscaped ?? "No data yet"),
                            .text(cell.latestValue.map { Describe.plain($0) } ?? "—"),
                            .span(
                                .class("visually-hidden"), .text(" \(state.replacingOccurrences(of: "-", with: " "))"))
                        ))
                }
            )
        }

        static func state(_ icon: VariationIcon) -> String {
            switch icon {
            case .concernHigh, .concernLow: "concern"
            case .improvementHigh, .improvementLow: "improvement"
            case .neutralHigh, .neutralLow: "neutral"
            case .commonCause: "common-cause"
            }
        }
    }
}

/// The early-warning page of a unit.
enum EarlyWarningController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy()
        try policy.require(.readOrganisation)
        let unitID = try req.idParameter("unitID")
        let db = req.db
        // Every ward's indicators: the same for everyone, drawn once per revision of the records.
        return try await req.page(drawnOnceAs: "early warning \(unitID)") { context in
            EarlyWarningPage.View(
                context: context, model: try await EarlyWarningPage.Model.query(unitID: unitID, policy: policy, on: db))
        }
    }
}

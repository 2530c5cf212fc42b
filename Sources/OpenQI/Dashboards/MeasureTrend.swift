import Charts
import Fluent
import Foundation
import Plot
import SPC

/// A measure as its chart stands: its recent trend, latest point and the Making Data Count icons,
/// read from the summary kept of every chart. The strategy shows its objectives' Whole System
/// Measures this way, and a plan the measures serving its boxes.
struct MeasureTrend: Sendable, Equatable {
    let id: UUID
    let name: String
    let recent: [Double?]
    let latestClass: PointClass
    let latestValue: Double?
    let latestPeriod: Date?
    let variation: VariationIcon?
    let assurance: AssuranceIcon?
    let target: Double?
}

extension MeasureTrend {
    /// Each measure as its chart stands, by name, from the summaries kept of every chart.
    static func load(_ measures: [Measure], on db: any Database) async throws -> [Self] {
        let ids = measures.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let summaries = Dictionary(
            try await MeasureSummary.query(on: db).filter(\.$measure.$id ~~ ids).filter(\.$points > 0).all()
                .map { ($0.$measure.id, $0) }
        ) { first, _ in first }
        return measures.sorted { $0.name < $1.name }.compactMap { measure in
            guard let id = measure.id else { return nil }
            let summary = summaries[id]
            return .init(
                id: id, name: measure.name, recent: summary?.recentValues ?? [],
                latestClass: summary?.latestPointClass ?? .common, latestValue: summary?.latestValue,
                latestPeriod: summary?.latestPeriod, variation: summary?.variationIcon,
                assurance: summary?.assuranceIcon, target: measure.target)
        }
    }
}

extension Node where Context == HTML.BodyContext {
    /// How measures move: each one's trend, latest point and the Making Data Count icons, as the
    /// measures summary shows them. The page draws the icons' symbols once (`MDCIcons.symbols`).
    static func measureTrends(_ measures: [MeasureTrend], caption: String) -> Node {
        .scrollingTable(
            .class("measure-summary"),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.scope("col"), .text("Measure")), .th(.scope("col"), .text("Trend")),
                    .th(.scope("col"), .text("Latest")), .th(.scope("col"), .text("Variation")),
                    .th(.scope("col"), .text("Assurance")), .th(.scope("col"), .text("Target")))),
            .tbody(
                .forEach(measures) { measure in
                    .tr(
                        .class(measure.variation?.isConcern == true ? "concern" : ""),
                        .td(.a(.href(SiteURL.measures(.show(.value(measure.id))).relativeURL()), .text(measure.name))),
                        .td(
                            .raw(
                                Sparkline(
                                    values: measure.recent, lastClass: measure.latestClass, target: measure.target
                                )
                                .svg())),
                        .td(
                            .class("number"), .text(measure.latestValue.map { Describe.plain($0) } ?? "—"),
                            .unwrap(measure.latestPeriod) {
                                .span(.class("hint"), .text(" \(CalendarDay(containing: $0).shortLabel)"))
                            }),
                        .td(.raw(measure.variation.map { MDCIcons.variationReference($0) } ?? "")),
                        .td(.raw(measure.assurance.map { MDCIcons.assuranceReference($0) } ?? "")),
                        .td(.class("number"), .text(measure.target.map { Describe.plain($0) } ?? ""))
                    )
                })
        )
    }
}

import Foundation
import Plot

extension PortfolioPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Portfolio — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Units", url: SiteURL.units(.index).relativeURL()),
                .init(label: model.unitPath, url: SiteURL.units(.show(.value(model.unitID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("QI portfolio")),
                .p(.class("lead"), .text("Every QI project of \(model.unitPath) and the units below it.")),
                .ul(
                    .class("figures"),
                    figure(model.total),
                    figure(model.stalledUpdates),
                    figure(model.stalledData),
                    .li(
                        .a(
                            .href(model.fullPartners.url),
                            .strong(.text(share(model.fullPartners.count, of: model.total.count))),
                            .text(
                                "of projects (\(model.fullPartners.count) of \(model.total.count)) \(model.fullPartners.label)"
                            )))
                ),
                .div(
                    .class("measure-grid"),
                    .div(.class("chart"), .raw(model.activeChartSVG)),
                    .div(.class("chart"), .raw(model.completionsChartSVG))
                ),
                .div(
                    .class("portfolio-tables"),
                    countTable("Projects by status", model.byStatus),
                    countTable("Active projects by stage", model.byStage),
                    countTable("Active projects by progress score", model.byScore),
                    countTable("Projects by strategic priority", model.byPriority),
                    countTable("Completed projects: aim achieved?", model.aims),
                    coachTable()
                )
            )
        }

        private func share(_ count: Int, of total: Int) -> String {
            total == 0 ? "—" : "\(Int((Double(count) / Double(total) * 100).rounded()))%"
        }

        private func figure(_ figure: Figure) -> Node<HTML.ListContext> {
            .li(.a(.href(figure.url), .strong(.text("\(figure.count)")), .text(figure.label)))
        }

        /// A small table of counts, each linking to its projects; a bar shows the share at a glance.
        private func countTable(_ caption: String, _ figures: [Figure]) -> Node<HTML.BodyContext> {
            let largest = max(figures.map(\.count).max() ?? 0, 1)
            return .table(
                .class("counts"),
                .caption(.text(caption)),
                .tbody(
                    .forEach(figures) { figure in
                        .tr(
                            .th(.attribute(named: "scope", value: "row"), .text(figure.label)),
                            .td(.class("number"), .a(.href(figure.url), .text("\(figure.count)"))),
                            .td(
                                .class("bar"),
                                .span(
                                    .class("bar"),
                                    .attribute(
                                        named: "style",
                                        value: "width: \(Int(Double(figure.count) / Double(largest) * 100))%")))
                        )
                    })
            )
        }

        private func coachTable() -> Node<HTML.BodyContext> {
            .table(
                .class("counts"),
                .caption(.text("Coach load (capacity \(PortfolioPage.coachCapacity) active projects each)")),
                .tbody(
                    .forEach(model.coaches) { coach in
                        .tr(
                            .class(coach.isOverCapacity ? "over-capacity" : ""),
                            .th(.attribute(named: "scope", value: "row"), .text(coach.name)),
                            .td(.class("number"), .a(.href(coach.url), .text("\(coach.active)"))),
                            .td(.text(coach.isOverCapacity ? "Over capacity" : ""))
                        )
                    })
            )
        }
    }
}

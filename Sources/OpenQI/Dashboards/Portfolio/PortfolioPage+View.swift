import Foundation
import Plot

extension PortfolioPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Portfolio — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading("QI portfolio", lead: "Every QI project of \(model.unitPath) and the units below it."),
                .ul(
                    .class("figures"),
                    figure(model.total),
                    figure(model.active),
                    figure(model.stalledUpdates),
                    figure(model.stalledData),
                    figure(model.gainsSlipping),
                    .li(
                        .a(
                            .href(model.fullPartners.url),
                            .strong(.text(share(model.fullPartners.count, of: model.active.count))),
                            .text(
                                "of active projects (\(model.fullPartners.count) of \(model.active.count)) \(model.fullPartners.label)"
                            )),
                        .text(" · "),
                        .a(
                            .href(SiteURL.units(.involvement(.value(model.unitID))).relativeURL()),
                            .text("what full partners add to aims achieved")))
                ),
                .div(
                    .class("measure-grid"),
                    overTime(
                        model.activeChartSVG, model.activeMonths, caption: "Active projects at the end of each month"),
                    overTime(
                        model.completionsChartSVG, model.completionMonths, caption: "Projects completed each month")
                ),
                .div(
                    .class("portfolio-tables"),
                    countTable("Projects by status", model.byStatus),
                    countTable("Active projects by stage", model.byStage),
                    countTable("Active projects by progress score", model.byScore),
                    countTable("Projects by strategic priority", model.byPriority),
                    countTable("Completed projects: aim achieved?", model.aims)
                ),
                coaching()
            )
        }

        private func share(_ count: Int, of total: Int) -> String {
            total == 0 ? "—" : "\(Int((Double(count) / Double(total) * 100).rounded()))%"
        }

        private func figure(_ figure: Figure) -> Node<HTML.ListContext> {
            .li(.a(.href(figure.url), .strong(.text("\(figure.count)")), .text(figure.countedLabel)))
        }

        /// A run chart with its numbers underneath, each month linking to its projects.
        private func overTime(_ svg: String, _ months: [Month], caption: String) -> Node<HTML.BodyContext> {
            .div(
                .class("chart"),
                .raw(svg),
                .details(
                    .summary(.text("The numbers, month by month")),
                    .scrollingTable(
                        .class("counts"),
                        .caption(.text(caption)),
                        .thead(.tr(.th(.scope("col"), .text("Month")), .th(.scope("col"), .text("Projects")))),
                        .tbody(
                            .forEach(months.reversed()) { month in
                                .tr(
                                    .th(.scope("row"), .text(month.label)),
                                    .td(.class("number"), .a(.href(month.url), .text("\(month.count)"))))
                            })
                    )
                )
            )
        }

        /// A small table of counts, each linking to its projects; a bar shows the share at a glance.
        private func countTable(_ caption: String, _ figures: [Figure]) -> Node<HTML.BodyContext> {
            let largest = max(figures.map(\.count).max() ?? 0, 1)
            return .scrollingTable(
                .class("counts"),
                .caption(.text(caption)),
                .thead(
                    .tr(
                        .td(), .th(.scope("col"), .text("Projects")),
                        .td(.attribute(named: "aria-hidden", value: "true")))),
                .tbody(
                    .forEach(figures) { figure in
                        .tr(
                            .th(.scope("row"), .text(figure.label)),
                            .td(.class("number"), .a(.href(figure.url), .text("\(figure.count)"))),
                            .td(
                                .class("bar"),
                                .attribute(named: "aria-hidden", value: "true"),
                                .span(
                                    .class("bar"),
                                    .attribute(
                                        named: "style",
                                        value: "width: \(Int(Double(figure.count) / Double(largest) * 100))%")))
                        )
                    })
            )
        }

        /// Coach load in brief: the busiest coaches over capacity, and the whole list a click away
        /// (a trust has hundreds of coaches, too many for the dashboard itself).
        private func coaching() -> Node<HTML.BodyContext> {
            let over = model.coaches.filter(\.isOverCapacity)
            let all = SiteURL.units(.coaches(.value(model.unitID))).relativeURL()
            return .section(
                .class("coaching"),
                .h2(.text("Coach load")),
                PortfolioPage.coachingSummary(model.coaches),
                over.isEmpty
                    ? .empty
                    : PortfolioPage.coachTable(
                        Array(over.prefix(PortfolioPage.coachesShown)),
                        caption: over.count > PortfolioPage.coachesShown
                            ? "The \(PortfolioPage.coachesShown) busiest of \(over.count) coaches over capacity"
                            : "Coaches over capacity"),
                model.coaches.isEmpty
                    ? .empty : .p(.a(.href(all), .text("Every coach’s load (\(model.coaches.count))")))
            )
        }
    }

    /// Every coach's load on a page of its own.
    final class CoachesView: ModelPage<Model> {
        override func pageTitle() -> String { "Coach load — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath) + [
                .init(label: "QI portfolio", url: SiteURL.units(.portfolio(.value(model.unitID))).relativeURL())
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .h1(.text("Coach load")),
                PortfolioPage.coachingSummary(model.coaches),
                model.coaches.isEmpty
                    ? .empty
                    : PortfolioPage.coachTable(model.coaches, caption: "Every coach, those over capacity first")
            )
        }
    }
}

extension PortfolioPage {
    /// Coaches over capacity listed on the portfolio itself; the rest are on the coach-load page.
    static let coachesShown = 15

    static func coachingSummary(_ coaches: [CoachLoad]) -> Node<HTML.BodyContext> {
        guard !coaches.isEmpty else {
            return .p(.class("empty"), .text("No QI coach is granted here or coaches a project here yet."))
        }
        let over = coaches.filter(\.isOverCapacity).count
        let room = coaches.reduce(0) { $0 + $1.spare }
        let withRoom = coaches.filter { $0.spare > 0 }.count
        return .p(
            .text(
                "\(coaches.count) coaches: \(over) over capacity; \(withRoom) with room for \(room) more \(room == 1 ? "project" : "projects"). Coaches usually support \(Person.usualCoachingCapacity) active projects at once; a person’s page may say otherwise."
            ))
    }

    static func coachTable(_ coaches: [CoachLoad], caption: String) -> Node<HTML.BodyContext> {
        .scrollingTable(
            .class("counts coaches"),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.scope("col"), .text("Coach")), .th(.scope("col"), .text("Here")),
                    .th(.scope("col"), .text("In all")), .th(.scope("col"), .text("Can support")),
                    .th(.scope("col"), .text("Room"))
                )),
            .tbody(
                .forEach(coaches) { coach in
                    .tr(
                        .class(coach.isOverCapacity ? "over-capacity" : ""),
                        .th(.scope("row"), .text(coach.name)),
                        .td(.class("number"), .a(.href(coach.here.url), .text("\(coach.here.count)"))),
                        .td(.class("number"), .a(.href(coach.inAll.url), .text("\(coach.inAll.count)"))),
                        .td(.class("number"), .text("\(coach.capacity)")),
                        .td(
                            .text(
                                coach.isOverCapacity
                                    ? "Over by \(coach.inAll.count - coach.capacity)"
                                    : coach.spare == 0 ? "Full" : "\(coach.spare) more"))
                    )
                })
        )
    }
}

import Foundation
import Plot

/// The involvement analysis of a unit's completed projects, as a page.
enum InvolvementPage {
    final class View: ModelPage<InvolvementAnalysis> {
        override func pageTitle() -> String { "Service users as partners — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Service users as partners: what difference it makes",
                    lead:
                        "Completed projects of \(model.unitPath) and the units below it, by the highest involvement of any service user or carer on the team, against whether the aim was achieved in full."
                ),
                .p(.class("finding"), .text(Self.finding(model.overall))),
                .section(
                    .h2(.text("All completed projects")),
                    .scrollingTable(
                        .thead(
                            .tr(
                                .th(.text("Service users and carers on the team")), .th(.text("Completed")),
                                .th(.text("Aim achieved")), .th(.text("Share")))),
                        .tbody(
                            .forEach(ServiceUserInvolvement.allCases.reversed()) { level in
                                let tally = model.overall.byInvolvement[level] ?? .init()
                                return .tr(
                                    .th(.attribute(named: "scope", value: "row"), .text(Self.levelLabel(level))),
                                    .td(.text("\(tally.completed)")), .td(.text("\(tally.achieved)")),
                                    .td(.text(Self.share(tally))))
                            }))),
                comparisons("By part of \(model.unitPath)", model.byPart, first: "Part"),
                comparisons("By the year projects closed", model.byYear, first: "Year")
            )
        }

        private func comparisons(
            _ heading: String, _ rows: [InvolvementAnalysis.Comparison], first: String
        ) -> Node<HTML.BodyContext> {
            .section(
                .h2(.text(heading)),
                rows.isEmpty
                    ? .p(.class("empty"), .text("No completed project with its result recorded yet."))
                    : .scrollingTable(
                        .thead(
                            .tr(
                                .th(.text(first)), .th(.text("Times as likely (95% interval)")),
                                .th(.text("With a full partner: achieved of completed")),
                                .th(.text("Without: achieved of completed")))),
                        .tbody(
                            .forEach(rows) { row in
                                .tr(
                                    .th(.attribute(named: "scope", value: "row"), .text(row.label)),
                                    .td(.text(Self.estimate(row.estimate))),
                                    .td(.text("\(row.full.achieved) of \(row.full.completed)")),
                                    .td(.text("\(row.others.achieved) of \(row.others.completed)")))
                            })))
        }

        static func levelLabel(_ level: ServiceUserInvolvement) -> String {
            switch level {
            case .fullPartner: "A full partner"
            case .occasional: "Consulted occasionally"
            case .none: "None involved"
            }
        }

        static func share(_ tally: InvolvementAnalysis.Tally) -> String {
            tally.completed == 0 ? "—" : "\(Int((Double(tally.achieved) / Double(tally.completed) * 100).rounded()))%"
        }

        static func number(_ value: Double) -> String {
            value.formatted(.number.precision(.fractionLength(2)))
        }

        static func estimate(_ estimate: InvolvementAnalysis.Estimate?) -> String {
            guard let estimate else { return "Too few to say" }
            return "\(number(estimate.ratio)) (\(number(estimate.lower)) to \(number(estimate.upper)))"
        }

        /// The finding in a sentence, as a board paper would put it.
        static func finding(_ overall: InvolvementAnalysis.Comparison) -> String {
            guard let estimate = overall.estimate else {
                return
                    "Too few completed projects with and without a full partner achieved their aim to compare them yet."
            }
            return
                "Projects with a service user or carer as a full partner achieved their aim \(number(estimate.ratio)) times as often as those without (95% confidence interval \(number(estimate.lower)) to \(number(estimate.upper)); \(overall.full.achieved) of \(overall.full.completed) against \(overall.others.achieved) of \(overall.others.completed))."
        }
    }
}

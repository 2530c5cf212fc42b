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
                                .th(.scope("col"), .text("Service users and carers on the team")),
                                .th(.scope("col"), .text("Completed")), .th(.scope("col"), .text("Aim achieved")),
                                .th(.scope("col"), .text("Share")))),
                        .tbody(
                            .forEach(Self.levels) { level in
                                let tally = model.overall.byInvolvement[level] ?? .init()
                                return .tr(
                                    .th(.scope("row"), .text(level.label)),
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
                                .th(.scope("col"), .text(first)),
                                .th(.scope("col"), .text("Times as likely with a full partner (95% interval)")),
                                .forEach(Self.levels) { level in
                                    .th(.scope("col"), .text("\(level.label): achieved of completed"))
                                })),
                        .tbody(
                            .forEach(rows) { row in
                                .tr(
                                    .th(.scope("row"), .text(row.label)),
                                    .td(.text(Self.estimate(row.estimate))),
                                    .forEach(Self.levels) { level in
                                        let tally = row.byInvolvement[level] ?? .init()
                                        return .td(.text("\(tally.achieved) of \(tally.completed)"))
                                    })
                            })))
        }

        /// The most involved first.
        static let levels: [ServiceUserInvolvement] = [.fullPartner, .occasional, .none]

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
            let unclear =
                estimate.lower <= 1 && estimate.upper >= 1
                ? " The interval includes 1: no clear difference yet." : ""
            return
                "Projects with a service user or carer as a full partner achieved their aim \(number(estimate.ratio)) times as often as those without one, consulted occasionally or not involved (95% confidence interval \(number(estimate.lower)) to \(number(estimate.upper)); \(overall.full.achieved) of \(overall.full.completed) against \(overall.others.achieved) of \(overall.others.completed))."
                + unclear
        }
    }
}

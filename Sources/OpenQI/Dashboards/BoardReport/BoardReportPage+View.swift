import Charts
import Foundation
import Plot

extension BoardReportPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Board quality report, \(model.monthLabel) — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
        }

        private func url(_ month: CalendarMonth) -> String {
            SiteURL.units(.boardReport(.value(model.unitID))).relativeURL(query: [("month", month.text)])
        }

        override func content() -> Node<HTML.BodyContext> {
            let month = [("month", model.monthParameter)]
            return .article(
                .class("board-report"),
                .header(
                    .heading("Quality report to the board", lead: "\(model.unitPath) · \(model.monthLabel)")),
                context.isStandalone
                    ? .empty
                    : .group(
                        months(),
                        .div(
                            .class("actions"),
                            .printButton("Print"),
                            .a(
                                .class("button secondary"),
                                .href(
                                    SiteURL.units(.exportBoardReport(.value(model.unitID))).relativeURL(query: month)),
                                .text("Save as one HTML file")),
                            model.mayEdit
                                ? .a(
                                    .class("button"),
                                    .href(
                                        SiteURL.units(.editBoardReport(.value(model.unitID))).relativeURL(query: month)),
                                    .text(
                                        model.isWritten
                                            ? "Edit the report for \(model.monthLabel)"
                                            : "Write the report for \(model.monthLabel)"))
                                : .empty)),
                summary(),
                .section(
                    .class("report-section headline"),
                    .h2(.text("Improvement portfolio")),
                    .ul(
                        .class("figures"),
                        .forEach(model.headline) { figure in
                            context.isStandalone
                                ? .li(.span(.strong(.text("\(figure.count)")), .text(figure.countedLabel)))
                                : .li(
                                    .a(.href(figure.url), .strong(.text("\(figure.count)")), .text(figure.countedLabel))
                                )
                        })),
                model.groups.isEmpty
                    ? .p(
                        .class("empty"),
                        .text(
                            "No Whole System Measures are chosen for this report yet. Choose them, under the Triple Aim, when writing the report."
                        ))
                    : .forEach(model.groups) { group in
                        .section(
                            .class("report-section aim"),
                            .h2(.text(group.aim.label)),
                            .forEach(group.charts) { measure($0) })
                    },
                story(model.patientStory, heading: "Patient story"),
                story(model.improvementStory, heading: "Improvement story")
            )
        }

        /// The month before and after, and every month with a written report.
        private func months() -> Node<HTML.BodyContext> {
            .nav(
                .class("report-months"),
                .attribute(named: "aria-label", value: "Other months"),
                .a(.href(url(model.month.advanced(by: -1))), .text("← \(model.month.advanced(by: -1).label)")),
                .a(.href(url(model.month.advanced(by: 1))), .text("\(model.month.advanced(by: 1).label) →")),
                model.writtenMonths.isEmpty
                    ? .empty
                    : .details(
                        .summary(.text("Reports written (\(model.writtenMonths.count))")),
                        .ul(
                            .forEach(model.writtenMonths) { month in
                                .li(
                                    month == model.month
                                        ? .strong(.text(month.label)) : .a(.href(url(month)), .text(month.label)))
                            }))
            )
        }

        /// Every measure of the report in one table, for the board to see at once where to look:
        /// its latest point, the Making Data Count icons in words, and its target.
        private func summary() -> Node<HTML.BodyContext> {
            guard !model.groups.isEmpty else { return .empty }
            return .section(
                .class("report-section summary"),
                .h2(.text("At a glance")),
                .scrollingTable(
                    .class("report-summary"),
                    .caption(.text("The Whole System Measures at the end of \(model.monthLabel)")),
                    .thead(
                        .tr(
                            .th(.scope("col"), .text("Measure")), .th(.scope("col"), .text("Aim")),
                            .th(.scope("col"), .text("Latest")), .th(.scope("col"), .text("Variation")),
                            .th(.scope("col"), .text("Assurance")), .th(.scope("col"), .text("Target")))),
                    .tbody(
                        .forEach(model.groups) { group in
                            .forEach(group.charts) { chart in
                                .tr(
                                    .th(.scope("row"), .a(.href("#" + Self.anchor(chart)), .text(chart.name))),
                                    .td(.text(group.aim.label)),
                                    .td(
                                        .class("number"),
                                        .unwrap(chart.latest) { latest in
                                            .group(
                                                .text(Describe.plain(latest.value)),
                                                .span(
                                                    .class("hint"),
                                                    .text(" \(CalendarDay(containing: latest.period).shortLabel)")))
                                        }, .if(chart.latest == nil, .text("No data"))),
                                    .td(
                                        .unwrap(chart.latest) { latest in
                                            .group(
                                                .raw(MDCIcons.variation(latest.variation, size: 20)),
                                                .text(" " + Describe.variationInBrief(latest.variation)))
                                        }),
                                    .td(
                                        .unwrap(chart.latest?.assurance) { assurance in
                                            .group(
                                                .raw(MDCIcons.assurance(assurance, size: 20)),
                                                .text(" " + Describe.assuranceInBrief(assurance)))
                                        }),
                                    .td(.class("number"), .text(chart.target.map { Describe.plain($0) } ?? "None"))
                                )
                            }
                        })
                )
            )
        }

        /// Where a measure's chart is in the report, for the summary's links.
        static func anchor(_ chart: MeasureChart) -> String { "wsm-\(chart.measureID.uuidString.lowercased())" }

        private func measure(_ chart: MeasureChart) -> Node<HTML.BodyContext> {
            .div(
                .class("report-measure"), .id(Self.anchor(chart)),
                .h3(
                    context.isStandalone
                        ? .text(chart.name)
                        : .a(.href(SiteURL.measures(.show(.value(chart.measureID))).relativeURL()), .text(chart.name))),
                .chart(chart.svg),
                chart.narrative.map { narrative in
                    .div(.class("narrative"), .forEach(Self.paragraphs(narrative)) { lines in paragraph(lines) })
                } ?? .p(.class("narrative empty"), .text("No narrative written for this month.")),
                chart.rows.isEmpty
                    ? .empty
                    : .details(
                        .class("chart-data"),
                        .summary(.text("The data behind the chart")),
                        .scrollingTable(
                            .class("data-table"),
                            .caption(.text("\(chart.name), to the end of \(model.monthLabel)")),
                            .thead(
                                .tr(
                                    .th(.scope("col"), .text("Period")), .th(.scope("col"), .text("Value")),
                                    .th(.scope("col"), .text("Denominator")), .th(.scope("col"), .text("Plotted")),
                                    .th(.scope("col"), .text("Signal")))),
                            .tbody(
                                .forEach(chart.rows) { row in
                                    .tr(
                                        .th(.scope("row"), .text(row.period)), .td(.text(row.value)),
                                        .td(.text(row.denominator)), .td(.text(row.plotted)), .td(.text(row.signals)))
                                })))
            )
        }

        private func paragraph(_ lines: [String]) -> Node<HTML.BodyContext> {
            .p(
                .forEach(lines.enumerated()) { index, line in
                    index == 0 ? .text(line) : .group(.br(), .text(line))
                })
        }

        /// The narrative as typed: a blank line between paragraphs, a line break within one.
        static func paragraphs(_ text: String) -> [[String]] {
            text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
                .map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
                .filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        }

        private func story(_ part: StoryPart?, heading: String) -> Node<HTML.BodyContext> {
            .section(
                .class("report-section story"),
                .h2(.text(heading)),
                part.map { part in
                    .group(
                        .h3(.text(part.title)), .p(.class("source"), .text(part.source)),
                        // The saved file is read away from OpenQI: a picture from elsewhere would not load.
                        .div(
                            .class("story-body"),
                            .raw(context.isStandalone ? StoryMarkdown.picturesAsText(part.html) : part.html)))
                } ?? .p(.class("empty"), .text("None chosen for this month."))
            )
        }
    }

    final class FormView: ModelPage<FormModel> {
        override func pageTitle() -> String { "Write the board report — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: model.unitPath, url: SiteURL.units(.show(.value(model.unitID))).relativeURL()),
                .init(
                    label: "Board report, \(model.month.label)",
                    url: SiteURL.units(.boardReport(.value(model.unitID))).relativeURL(query: [
                        ("month", model.monthParameter)
                    ])),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            var fields: [FormField] = []
            let aims = FormField.Option.every(TripleAim.self, none: "Not on the report")
            for row in model.measures {
                let id = row.measureID.uuidString
                fields.append(FormField(name: "aim-\(id)", label: row.name, control: .select(aims)))
                fields.append(
                    FormField(
                        name: "narrative-\(id)", label: "What \(row.name) shows this month",
                        control: .textarea(rows: 3),
                        hint: "Blank lines between paragraphs."))
            }
            fields += [
                FormField(name: "patient_story_title", label: "Patient story: title"),
                FormField(
                    name: "patient_story", label: "Patient story", control: .textarea(rows: 8),
                    hint:
                        "In the service user’s own words, with their consent. Markdown: blank lines between paragraphs."
                ),
                FormField(
                    name: "improvement_story", label: "Improvement story",
                    control: .select([.init(value: "", label: "None")] + model.stories),
                    hint: "A story a project team wrote, shown with its charts."),
            ]
            return .div(
                .class("narrow"),
                .heading(
                    "Board report for \(model.unitPath), \(model.month.label)",
                    lead:
                        "Choose which of the unit’s measures the board sees this month, under which aim, and write what each shows. The charts show the data to the end of \(model.month.label); next month’s report starts from this choice."
                ),
                OpenQI.FormView(
                    action: SiteURL.units(.saveBoardReport(.value(model.unitID))).relativeURL(),
                    csrfToken: context.csrfToken, state: model.form,
                    fields: fields, submitLabel: "Save the report",
                    cancelURL: SiteURL.units(.boardReport(.value(model.unitID))).relativeURL(query: [
                        ("month", model.monthParameter)
                    ]),
                    hiddenFields: ["month": model.monthParameter, "version": model.form["version"]]
                ).node
            )
        }
    }
}

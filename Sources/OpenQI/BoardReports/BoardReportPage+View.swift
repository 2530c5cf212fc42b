import Foundation
import Plot

extension BoardReportPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Board quality report, \(model.monthLabel) — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            [
                .init(label: "Units", url: SiteURL.units(.index).relativeURL()),
                .init(label: model.unitPath, url: SiteURL.units(.show(.value(model.unitID))).relativeURL()),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let month = [("month", model.monthParameter)]
            return .article(
                .class("board-report"),
                .header(
                    .h1(.text("Quality report to the board")),
                    .p(.class("lead"), .text("\(model.unitPath) · \(model.monthLabel)"))),
                context.isStandalone
                    ? .empty
                    : .div(
                        .class("actions"),
                        .a(
                            .class("button secondary"), .attribute(named: "onclick", value: "window.print()"),
                            .href("#"), .text("Print")),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.units(.exportBoardReport(.value(model.unitID))).relativeURL(query: month)),
                            .text("Save as one HTML file")),
                        model.mayEdit
                            ? .a(
                                .class("button"),
                                .href(SiteURL.units(.editBoardReport(.value(model.unitID))).relativeURL(query: month)),
                                .text("Write this month’s report"))
                            : .empty),
                .section(
                    .class("report-section headline"),
                    .h2(.text("Improvement portfolio")),
                    .ul(
                        .class("figures"),
                        .forEach(model.headline) { figure in
                            .li(
                                .span(.class("figure"), .text("\(figure.count)")), .text(" "),
                                context.isStandalone ? .text(figure.label) : .a(.href(figure.url), .text(figure.label)))
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
                            .forEach(group.charts) { chart in
                                .div(
                                    .class("report-measure"),
                                    .h3(
                                        context.isStandalone
                                            ? .text(chart.name)
                                            : .a(
                                                .href(SiteURL.measures(.show(.value(chart.measureID))).relativeURL()),
                                                .text(chart.name))),
                                    .div(.class("chart"), .raw(chart.svg)),
                                    .p(
                                        .class(chart.narrative == nil ? "narrative empty" : "narrative"),
                                        .text(chart.narrative ?? "No narrative written for this month.")))
                            })
                    },
                story(model.patientStory, heading: "Patient story"),
                story(model.improvementStory, heading: "Improvement story")
            )
        }

        private func story(_ part: StoryPart?, heading: String) -> Node<HTML.BodyContext> {
            .section(
                .class("report-section story"),
                .h2(.text(heading)),
                part.map { part in
                    .group(
                        .h3(.text(part.title)), .p(.class("source"), .text(part.source)),
                        .div(.class("story-body"), .raw(part.html)))
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
                    label: "Board report",
                    url: SiteURL.units(.boardReport(.value(model.unitID))).relativeURL(query: [
                        ("month", model.monthParameter)
                    ])),
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            var values: [String: String] = [
                "month": model.monthParameter, "patient_story_title": model.patientStoryTitle,
                "patient_story": model.patientStory, "improvement_story": model.improvementStoryID?.uuidString ?? "",
            ]
            var fields: [FormField] = []
            let aims =
                [FormField.Option(value: "", label: "Not on the report")]
                + TripleAim.allCases.map { .init(value: $0.rawValue, label: $0.label) }
            for row in model.measures {
                let id = row.measureID.uuidString
                values["aim-\(id)"] = row.aim?.rawValue ?? ""
                values["narrative-\(id)"] = row.narrative
                fields.append(FormField(name: "aim-\(id)", label: row.name, control: .select(aims)))
                fields.append(
                    FormField(
                        name: "narrative-\(id)", label: "What \(row.name) shows this month", control: .textarea(rows: 3)
                    ))
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
                .h1(.text("Board report for \(model.unitPath)")),
                .p(
                    .class("lead"),
                    .text(
                        "Choose which of the unit’s measures the board sees, under which aim, and write what each shows. The charts are drawn from the data when the report is read."
                    )),
                OpenQI.FormView(
                    action: SiteURL.units(.saveBoardReport(.value(model.unitID))).relativeURL(),
                    csrfToken: context.csrfToken, state: FormState(values: values, errors: model.errors),
                    fields: fields, submitLabel: "Save the report",
                    cancelURL: SiteURL.units(.boardReport(.value(model.unitID))).relativeURL(),
                    hiddenFields: ["month": model.monthParameter]
                ).node
            )
        }
    }
}

import Charts
import Foundation
import Plot

extension MeasureShow {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.name }

        override func breadcrumbs() -> [PageContext.Link] { [model.owner] }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text(model.name), .span(.class("tag"), .text(model.kind.label))),
                    .div(
                        .class("actions"),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.measures(.chartSVG(.value(model.id))).relativeURL()),
                            .attribute(named: "download", value: "chart.svg"), .text("Chart as SVG")),
                        .a(
                            .class("button secondary"),
                            .href(SiteURL.measures(.dataCSV(.value(model.id))).relativeURL()),
                            .attribute(named: "download", value: "data.csv"), .text("Data as CSV"))
                    )
                ),
                .chart(model.chartSVG),
                .p(.class("chart-summary"), .text(model.summary)),
                .dl(
                    .class("details"),
                    .dt(.text("Operational definition")), .dd(.text(model.definition)),
                    .unwrap(model.key) { .group(.dt(.text("Key for bulk data")), .dd(.code(.text($0)))) },
                    .dt(.text("Chart")), .dd(.text(model.chartName)),
                    .dt(.text("Better is")),
                    .dd(
                        .text(
                            model.direction == .up
                                ? "Higher" : model.direction == .down ? "Lower" : "Neither (no direction)")),
                    .dt(.text("Target")), .dd(.text(model.target.map { "\($0)" } ?? "None")),
                    .dt(.text("Data")), .dd(.text("\(model.frequency.label), \(model.rows.count) periods")),
                    .unwrap(model.standard) { standard in
                        .group(
                            .dt(.text("Standard measure")),
                            .dd(
                                .a(
                                    .href(SiteURL.standardMeasures(.show(.value(standard.id))).relativeURL()),
                                    .text(standard.name)),
                                .text(", version \(standard.followed)")))
                    }
                ),
                .unwrap(model.standard) { standard in
                    .if(
                        standard.isBehind,
                        .div(
                            .class("notice standard-changed"), .attribute(named: "role", value: "status"),
                            .p(
                                .text(
                                    "The standard measure “\(standard.name)” is at version \(standard.current); this measure follows version \(standard.followed). "
                                        + (standard.changes.isEmpty
                                            ? "" : "Taking it changes \(standard.changes.joined(separator: ", ")). ")
                                ),
                                .a(
                                    .href(SiteURL.standardMeasures(.show(.value(standard.id))).relativeURL()),
                                    .text("Read what it says now"))),
                            .if(
                                model.canEdit,
                                .postForm(
                                    action: SiteURL.measures(.followStandard(.value(model.id))).relativeURL(),
                                    csrfToken: context.csrfToken, class: "inline-form",
                                    .hiddenField("standard_version", String(standard.current)),
                                    .hiddenField("version", String(standard.measureVersion)),
                                    .button(
                                        .type(.submit), .class("button"), .text("Take version \(standard.current)"))))))
                },
                .if(
                    model.canEdit,
                    .p(
                        .a(
                            .class("button secondary"), .href(SiteURL.measures(.edit(.value(model.id))).relativeURL()),
                            .text(model.standard == nil ? "Change the definition" : "Change the name or key")))),
                .if(!model.chartNotes.isEmpty, chartNotes()),
                .if(model.canEdit, editing()),
                .section(
                    .id("data"),
                    .h2(.text("The data")),
                    model.rows.isEmpty
                        ? .p(.class("empty"), .text("No data yet."))
                        : .scrollingTable(
                            .class("data-table"),
                            .thead(
                                .tr(
                                    .th(.text("Period")), .th(.text("Value")), .th(.text("Denominator")),
                                    .th(.text("Plotted")), .th(.text("Signal")), .th(.text("Note")),
                                    .if(model.canEdit, .th(.span(.class("visually-hidden"), .text("Actions")))))),
                            .tbody(
                                .forEach(model.rows) { row in
                                    .tr(
                                        .td(.text(row.period)), .td(.text(row.value)), .td(.text(row.denominator)),
                                        .td(.text(row.plotted)), .td(.text(row.signals)), .td(.text(row.note)),
                                        .if(model.canEdit, .td(removeValue(row))))
                                })
                        )
                )
            )
        }

        /// A button taking one period's value off the chart, named for screen readers by its period.
        private func removeValue(_ row: Row) -> Node<HTML.BodyContext> {
            guard let day = row.day else { return .empty }
            return .postForm(
                action: SiteURL.measures(.removeDataPoint(measure: .value(model.id), period: .value(day)))
                    .relativeURL(),
                csrfToken: context.csrfToken, class: "inline-form",
                .button(
                    .type(.submit), .class("link-button"), .text("Remove"),
                    .span(.class("visually-hidden"), .text(" the value for \(row.period)"))))
        }

        /// The chart's annotations and phases in full, each removable by those who may edit.
        private func chartNotes() -> Node<HTML.BodyContext> {
            .section(
                .class("chart-notes"),
                .h2(.text("Notes and phases on the chart")),
                .ul(
                    .forEach(model.chartNotes) { note in
                        .li(
                            .strong(.text(note.period)), .text(" "),
                            .if(note.isPhase, .span(.class("tag"), .text("New phase"))),
                            .text(" \(note.text) "),
                            .if(
                                model.canEdit,
                                .postButton(
                                    "Remove", to: note.removeURL, csrfToken: context.csrfToken,
                                    style: "link-button"))
                        )
                    })
            )
        }

        private func editing() -> Node<HTML.BodyContext> {
            .section(
                .class("measure-editing"), .id("add-data"),
                .h2(.text("Add data")),
                // What a check found, or what to fix, comes first in the section, and the forms below
                // send the page back to it with the focus on it (their actions end with
                // #add-data-result), so nobody presses again.
                .if(
                    model.preview != nil || !model.dataForm.errors.isEmpty,
                    .div(
                        .id(Self.resultAnchor), .attribute(named: "tabindex", value: "-1"),
                        .unwrap(model.preview) { preview($0) },
                        .errorSummary(model.dataForm.errors))),
                dataGrid(),
                .postForm(
                    action: SiteURL.measures(.previewData(.value(model.id))).relativeURL() + "#" + Self.resultAnchor,
                    csrfToken: context.csrfToken,
                    .formField(
                        FormField(
                            name: "data", label: "Paste from a spreadsheet", control: .textarea(rows: 8),
                            hint:
                                "Two columns, the period and the value (and a third, the denominator, for proportions and rates); a fourth for a note. Dates like 2026-03-31, 31/03/2026 or 2026-03.",
                            isRequired: true), state: model.dataForm),
                    .div(.class("form-actions"), .button(.type(.submit), .class("button"), .text("Check the data")))
                ),
                .uploadForm(
                    action: SiteURL.measures(.previewData(.value(model.id))).relativeURL() + "#" + Self.resultAnchor,
                    csrfToken: context.csrfToken, state: FormState(), fileLabel: "Or upload a CSV file",
                    buttonLabel: "Check the file"),
                .div(
                    .class("two-forms"),
                    datedTextForm(
                        "Annotate the chart", action: SiteURL.measures(.annotate(.value(model.id))).relativeURL(),
                        state: model.annotationForm, dateLabel: "At",
                        text: FormField(
                            name: "text", label: "Note", hint: "For example: PDSA 2 started, new rota adopted.",
                            isRequired: true),
                        submitLabel: "Add annotation"),
                    datedTextForm(
                        "Recalculate limits from here",
                        action: SiteURL.measures(.phaseBreak(.value(model.id))).relativeURL(), state: model.phaseForm,
                        dateLabel: "From",
                        text: FormField(
                            name: "label", label: "Phase name", hint: "For example: After the new rota.",
                            isRequired: true),
                        submitLabel: "Start a new phase")
                )
            )
        }

        /// The annotation and phase-break forms: a date and a short text, as one handler saves both.
        private func datedTextForm(
            _ heading: String, action: String, state: FormState, dateLabel: String, text: FormField,
            submitLabel: String
        ) -> Node<HTML.BodyContext> {
            .div(
                .h3(.text(heading)),
                FormView(
                    action: action, csrfToken: context.csrfToken, state: state,
                    fields: [FormField(name: "period", label: dateLabel, control: .date, isRequired: true), text],
                    submitLabel: submitLabel, anchor: text.name == "text" ? "annotate" : "new-phase"
                ).node
            )
        }

        /// Type values by period: blank rows are left alone, and the rows are checked like a paste.
        private func dataGrid() -> Node<HTML.BodyContext> {
            .postForm(
                action: SiteURL.measures(.enterData(.value(model.id))).relativeURL() + "#" + Self.gridErrorsAnchor,
                csrfToken: context.csrfToken,
                class: "form data-grid",
                .unwrap(model.gridErrors.isEmpty ? nil : model.gridErrors) { errors in
                    .div(
                        .id(Self.gridErrorsAnchor), .attribute(named: "tabindex", value: "-1"),
                        .class("error-summary"), .attribute(named: "role", value: "alert"),
                        .h2(
                            .text(
                                "Nothing was saved: \(errors.count) row\(errors.count == 1 ? " needs" : "s need") fixing"
                            )),
                        .ul(.forEach(errors) { .li(.text($0)) }))
                },
                .scrollingTable(
                    .caption(.text("Enter by period")),
                    .thead(
                        .tr(
                            .th(.text("Period")), .th(.text("Value")),
                            .if(model.usesDenominator, .th(.text("Denominator"))))),
                    .tbody(
                        .forEach(model.grid.enumerated().map { $0 }) { index, row in
                            .tr(
                                .td(
                                    gridInput("period", row.period, type: "date", label: "Period, row \(index + 1)"),
                                    .input(.type(.hidden), .name("shown[]"), .value(row.shown))),
                                .td(gridInput("value", row.value, type: "text", label: "Value for \(row.period)")),
                                .if(
                                    model.usesDenominator,
                                    .td(
                                        gridInput(
                                            "denominator", row.denominator, type: "text",
                                            label: "Denominator for \(row.period)")))
                            )
                        })
                ),
                .div(.class("form-actions"), .button(.type(.submit), .class("button"), .text("Save the values")))
            )
        }

        private func gridInput(_ name: String, _ value: String, type: String, label: String) -> Node<HTML.BodyContext> {
            .input(
                .attribute(named: "type", value: type), .name("\(name)[]"),
                .attribute(named: "value", value: value.markupEscaped),
                .attribute(named: "aria-label", value: label.markupEscaped),
                .attribute(named: "inputmode", value: type == "text" ? "decimal" : nil))
        }

        /// Where the page opens after a check of pasted or uploaded data, and after a grid that
        /// could not be saved: at what was found, which takes the focus.
        static let resultAnchor = "add-data-result"
        static let gridErrorsAnchor = "add-data-grid-errors"

        private func preview(_ preview: Preview) -> Node<HTML.BodyContext> {
            .div(
                .class(preview.errors.isEmpty ? "preview" : "preview error-summary"),
                .attribute(named: "role", value: "alert"),
                preview.errors.isEmpty
                    ? .group(
                        .h3(.text("Ready to import")),
                        .p(
                            .text(
                                "\(preview.added) new period\(preview.added == 1 ? "" : "s") and \(preview.replaced) changed. Nothing is saved until you confirm."
                            )),
                        .postForm(
                            action: SiteURL.measures(.importData(.value(model.id))).relativeURL(),
                            csrfToken: context.csrfToken, class: "inline-form",
                            // A hidden textarea keeps the line breaks of what was pasted.
                            .element(
                                named: "textarea",
                                nodes: [
                                    .attribute(named: "name", value: "data"),
                                    .attribute(named: "hidden", value: "hidden"), .text(preview.text),
                                ]),
                            .button(.type(.submit), .class("button"), .text("Import"))
                        )
                    )
                    : .group(
                        .h3(
                            .text(
                                "Nothing was imported: \(preview.errors.count) row\(preview.errors.count == 1 ? " needs" : "s need") fixing"
                            )),
                        .ul(.forEach(preview.errors) { .li(.text($0)) })
                    )
            )
        }
    }
}

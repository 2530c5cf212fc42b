import Foundation
import Plot

extension DataUploadPage {
    final class FormView: ModelPage<FormModel> {
        override func pageTitle() -> String { "Upload data — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath) + [
                .init(label: "Measures", url: SiteURL.units(.measures(.value(model.unitID))).relativeURL())
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let examples =
                model.examples.isEmpty ? [ExampleMeasure(key: "ward-7.falls", usesDenominator: false)] : model.examples
            var example = "measure,period,value,denominator\n"
            for measure in examples {
                for (period, value, denominator) in [("2026-03-02", 4, 140), ("2026-03-09", 2, 152)] {
                    example += "\(measure.key),\(period),\(value),\(measure.usesDenominator ? "\(denominator)" : "")\n"
                }
            }
            return .div(
                .class("narrow"),
                .heading(
                    "Upload data for many measures",
                    lead:
                        "One CSV for any of the \(model.keyedMeasures) measures with a key in \(model.unitPath) and below. Nothing is saved until you have seen the check and chosen to import."
                ),
                .p(.text("The first line names the columns; each row after it is one period of one measure:")),
                // It may scroll sideways: focusable, and named, so a keyboard can scroll it too.
                .pre(
                    .class("example"), .attribute(named: "tabindex", value: "0"),
                    .attribute(named: "aria-label", value: "An example file"), .text(example)),
                .ul(
                    .li(.text("measure: the measure’s key, shown on its page.")),
                    .li(.text("period: 2026-03-31, 31/03/2026 or 2026-03.")),
                    .li(.text("value: the count, or the numerator of a proportion or rate.")),
                    .li(
                        .text(
                            "denominator: for p and u charts; empty otherwise. An optional fifth column, note, annotates the point."
                        )),
                    .li(
                        .text(
                            "A period already stored is replaced, so uploading the same file twice changes nothing. Files up to 20 MB; larger ones in parts, or through the API."
                        ))
                ),
                .uploadForm(
                    action: SiteURL.units(.uploadData(.value(model.unitID))).relativeURL(),
                    csrfToken: context.csrfToken,
                    state: model.form, fileLabel: "CSV file", buttonLabel: "Check the file",
                    pasteHint: "Or paste the same columns from a spreadsheet, with the header line.")
            )
        }
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Check the upload — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath) + [
                .init(label: "Upload data", url: SiteURL.units(.dataUpload(.value(model.unitID))).relativeURL())
            ]
        }

        override func content() -> Node<HTML.BodyContext> {
            let counts = model.counts
            return .group(
                .heading(
                    "Check the upload",
                    lead:
                        "\(model.filename): \(model.rows) row\(model.rows == 1 ? "" : "s") for \(model.measures.count) measure\(model.measures.count == 1 ? "" : "s") in \(model.unitPath)."
                ),
                UploadCheck(
                    errors: model.errors, errorCount: model.errorCount,
                    summary:
                        "Every row is good. Importing adds \(counts.added) period\(counts.added == 1 ? "" : "s"), changes \(counts.changed) and leaves \(counts.unchanged) as they are.",
                    importLabel: model.isReady
                        ? "Import \(counts.added + counts.changed) period\(counts.added + counts.changed == 1 ? "" : "s")"
                        : nil,
                    importURL: SiteURL.dataUploads(.apply(.value(model.uploadID))).relativeURL(),
                    cancelURL: SiteURL.dataUploads(.cancel(.value(model.uploadID))).relativeURL(),
                    more: .p(
                        .text("The first \(model.errors.count) are shown. "),
                        .a(
                            .href(SiteURL.dataUploads(.report(.value(model.uploadID))).relativeURL()),
                            .text("Download all \(model.errorCount) as CSV")))
                ).node(csrfToken: context.csrfToken),
                model.measures.isEmpty
                    ? .empty
                    : .scrollingTable(
                        .class("data-table"),
                        .caption(.text("What importing does to each measure")),
                        .thead(
                            .tr(
                                .th(.text("Measure")), .th(.text("Key")), .th(.text("Unit")),
                                .th(.class("number"), .text("New")),
                                .th(.class("number"), .text("Changed")), .th(.class("number"), .text("Unchanged")))),
                        .tbody(
                            .forEach(model.measures) { line in
                                .tr(
                                    .td(
                                        .a(
                                            .href(SiteURL.measures(.show(.value(line.measureID))).relativeURL()),
                                            .text(line.name))),
                                    .td(.code(.text(line.key))), .td(.text(line.owner)),
                                    .td(.class("number"), .text("\(line.counts.added)")),
                                    .td(.class("number"), .text("\(line.counts.changed)")),
                                    .td(.class("number"), .text("\(line.counts.unchanged)")))
                            })
                    )
            )
        }
    }
}

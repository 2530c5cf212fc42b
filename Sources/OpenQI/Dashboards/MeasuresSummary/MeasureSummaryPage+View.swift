import Charts
import Foundation
import Plot
import SPC

extension MeasureSummaryPage {
    package final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Measures — \(model.unitPath)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitPath)
        }

        private var url: String { SiteURL.units(.measures(.value(model.unitID))).relativeURL() }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Measures summary")),
                    .if(
                        model.canAdd,
                        .div(
                            .class("actions"),
                            .a(
                                .class("button secondary"),
                                .href(SiteURL.units(.dataUpload(.value(model.unitID))).relativeURL()),
                                .text("Upload data")),
                            .a(
                                .class("button secondary"),
                                .href(SiteURL.units(.newMeasure(.value(model.unitID))).relativeURL()),
                                .text("Add a unit measure"))))
                ),
                .p(
                    .class("lead"),
                    .text(
                        "Every measure of \(model.unitPath) and the units below it, with the latest point’s Making Data Count icons."
                    )),
                .ul(
                    .class("figures"),
                    .li(.a(.href(url), .strong(.text("\(model.total)")), .text("measures"))),
                    .li(
                        .a(
                            .href(
                                SiteURL.units(.measures(.value(model.unitID))).relativeURL(query: [("concern", "yes")])),
                            .strong(.text("\(model.concerns)")), .text("special cause concern"))),
                    .li(
                        .a(
                            .href(
                                SiteURL.units(.measures(.value(model.unitID))).relativeURL(query: [("failing", "yes")])),
                            .strong(.text("\(model.failing)")), .text("failing their target")))
                ),
                filterForm(),
                // The icons once; each row refers to them.
                .raw(MDCIcons.symbols),
                model.rows.isEmpty
                    ? .p(
                        .class("empty"), .text(model.total == 0 ? "No measures yet." : "No measure matches the filter.")
                    )
                    : .group(
                        order(), table(),
                        .pagination(page: model.filter.page, of: pageCount, label: "Pages of measures") {
                            SiteURL.units(.measures(.value(model.unitID))).relativeURL(
                                query: model.filter.queryItems(
                                    sort: model.filter.sort, descending: model.filter.descending, page: $0))
                        })
            )
        }

        private var pageCount: Int {
            max(1, (model.matching + MeasureSummaryPage.pageSize - 1) / MeasureSummaryPage.pageSize)
        }

        /// The order in words, and the way back to the order by need.
        private func order() -> Node<HTML.BodyContext> {
            var byNeed = model.filter
            byNeed.sort = .need
            byNeed.descending = false
            return .p(
                .class("hint"),
                model.filter.sort == .need
                    ? .text(
                        "In order of need: special cause concerns and failing targets first, then data overdue, then targets hit and missed."
                    )
                    : .group(
                        .text("Sorted by a column. "),
                        .a(
                            .href(
                                SiteURL.units(.measures(.value(model.unitID))).relativeURL(
                                    query: byNeed.queryItems(sort: .need, descending: false))),
                            .text("Put what needs attention first")))
            )
        }

        private func filterForm() -> Node<HTML.BodyContext> {
            .getForm(
                action: url, class: "search-form filters",
                .attribute(named: "role", value: "search"),
                .label(.for("q"), .text("Search measures and owners")),
                .input(
                    .type(.search), .id("q"), .name("q"),
                    .attribute(named: "value", value: model.filter.search.markupEscaped)),
                .formField(
                    FormField(
                        name: "kind", label: "Kind",
                        control: .select(every: MeasureKind.self, none: "Any kind")),
                    state: FormState(values: ["kind": model.filter.kind?.rawValue ?? ""])),
                // Filtering keeps the order chosen with the column headers.
                .if(
                    model.filter.sort != .need,
                    .input(.type(.hidden), .name("sort"), .value(model.filter.sort.rawValue))),
                .if(model.filter.descending, .input(.type(.hidden), .name("order"), .value("desc"))),
                .label(
                    .class("checkbox"),
                    .input(.type(.checkbox), .name("concern"), .value("yes"), .checked(model.filter.concernOnly)),
                    .text(" Special cause concern only")),
                .label(
                    .class("checkbox"),
                    .input(.type(.checkbox), .name("failing"), .value("yes"), .checked(model.filter.failingOnly)),
                    .text(" Failing target only")),
                .button(.type(.submit), .class("button"), .text("Filter"))
            )
        }

        private func table() -> Node<HTML.BodyContext> {
            .scrollingTable(
                .class("measure-summary"),
                .caption(
                    .text(
                        (model.matching == model.total
                            ? "\(model.total) measures" : "\(model.matching) of \(model.total) measures")
                            + (pageCount > 1 ? ", page \(model.filter.page) of \(pageCount)" : ""))),
                .thead(
                    .tr(
                        header("Measure", .name), header("Owner", .owner), .th(.scope("col"), .text("Trend")),
                        header("Latest", .latest), header("Variation", .variation),
                        header("Assurance", .assurance), .th(.scope("col"), .text("Target")))),
                .tbody(.forEach(model.rows) { row($0) })
            )
        }

        /// A column header that sorts the table by its column; choosing the sorted one again turns
        /// the order round. Screen readers hear the order from `aria-sort`.
        private func header(_ label: String, _ sort: Sort) -> Node<HTML.TableRowContext> {
            let current = model.filter.sort == sort
            let descending = current && !model.filter.descending
            let href = SiteURL.units(.measures(.value(model.unitID))).relativeURL(
                query: model.filter.queryItems(sort: sort, descending: descending))
            return .th(
                .scope("col"),
                .if(
                    current,
                    .attribute(named: "aria-sort", value: model.filter.descending ? "descending" : "ascending")),
                .a(
                    .href(href), .class("sort"), .text(label),
                    .if(
                        current,
                        .span(
                            .attribute(named: "aria-hidden", value: "true"),
                            .text(model.filter.descending ? " ▼" : " ▲")))
                )
            )
        }

        /// Dates written once each: thousands of weekly measures share a few latest periods, and
        /// formatting a date costs more than the rest of its cell.
        private var days: [Date: String] = [:]

        private func day(_ date: Date) -> String {
            if let text = days[date] { return text }
            let text = CalendarDay(containing: date).shortLabel
            days[date] = text
            return text
        }

        /// A row written as one string: the summary has thousands, and a Plot node per cell was most
        /// of the page's time. Every text from the data goes through `markupEscaped`.
        private func row(_ row: Row) -> Node<HTML.TableContext> {
            var html = row.variation?.isConcern == true ? "<tr class=\"concern\">" : "<tr>"
            html += "<td><a href=\"\(SiteURL.measures(.show(.value(row.id))).relativeURL())\">"
            html += row.name.markupEscaped
            html += "</a><span class=\"hint\"> \(row.kind.label.lowercased())</span></td>"
            html += "<td><a href=\"\(row.owner.url.markupEscaped)\">\(row.owner.label.markupEscaped)</a></td>"
            html +=
                "<td>" + Sparkline(values: row.recent, lastClass: row.latestClass, target: row.target).svg() + "</td>"
            html += "<td class=\"number\">" + (row.latestValue.map { Describe.plain($0) } ?? "—")
            if let period = row.latestPeriod { html += "<span class=\"hint\"> \(day(period))</span>" }
            if row.isOverdue { html += " <strong class=\"overdue\">data overdue</strong>" }
            html += "</td><td>" + (row.variation.map { MDCIcons.variationReference($0) } ?? "")
            html += "</td><td>" + (row.assurance.map { MDCIcons.assuranceReference($0) } ?? "")
            html += "</td><td class=\"number\">" + (row.target.map { Describe.plain($0) } ?? "") + "</td></tr>"
            return .raw(html)
        }
    }
}

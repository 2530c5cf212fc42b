import Charts
import Foundation
import Plot

extension ProjectIndex {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Projects" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("QI projects")),
                    .a(.class("button"), .href(SiteURL.projects(.new).relativeURL()), .text("Propose a project"))
                ),
                .getForm(
                    action: SiteURL.projects(.index).relativeURL(), class: "search-form",
                    .attribute(named: "role", value: "search"),
                    .label(.for("q"), .text("Search titles, problems and aims")),
                    .input(
                        .type(.search), .id("q"), .name("q"),
                        .attribute(named: "value", value: model.query.markupEscaped)),
                    .formField(
                        FormField(
                            name: "status", label: "Status",
                            control: .select(every: ProjectStatus.self, none: "Any status")),
                        state: FormState(values: ["status": model.status?.rawValue ?? ""])
                    ),
                    .formField(
                        FormField(
                            name: "unit", label: "Unit (and below)",
                            control: .select([.init(value: "", label: "All units")] + model.unitOptions)),
                        state: FormState(values: ["unit": model.unitID?.uuidString ?? ""])
                    ),
                    // The dashboard's focus and the order stay while the form narrows further.
                    .if(model.order != .recent, .input(.type(.hidden), .name("order"), .value(model.order.rawValue))),
                    .forEach(model.focus.queryItems) { item in
                        .input(
                            .type(.hidden), .name(item.0), .attribute(named: "value", value: item.1.markupEscaped))
                    },
                    .button(.type(.submit), .class("button secondary"), .text("Search"))
                ),
                .unwrap(model.focusDescription) { focus in
                    .p(
                        .class("focus"), .text("Showing projects \(focus). "),
                        .a(
                            .href(
                                SiteURL.projects(.index).relativeURL(
                                    query: model.unitID.map { [("unit", $0.uuidString)] } ?? [])),
                            .text("Show all")))
                },
                .nav(
                    .class("filter-links"), .attribute(named: "aria-label", value: "Whose projects"),
                    .ul(
                        .li(link("All projects", to: model.link(mine: .some(nil)), current: model.focus.mine == nil)),
                        .forEach(ProjectIndex.Involvement.allCases) { involvement in
                            .li(
                                link(
                                    involvement.label, to: model.link(mine: .some(involvement)),
                                    current: model.focus.mine == involvement))
                        })
                ),
                .nav(
                    .class("filter-links"), .attribute(named: "aria-label", value: "Order"),
                    .ul(
                        .li(.text("Order: ")),
                        .forEach(ProjectIndex.Order.allCases) { order in
                            .li(link(order.label, to: model.link(order: order), current: model.order == order))
                        })
                ),
                .p(
                    .class("count"),
                    .text(model.total == 1 ? "1 project" : "\(model.total) projects"),
                    .if(model.pageCount > 1, .text(", page \(model.page) of \(model.pageCount)"))),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("No project matches."))
                    : .scrollingTable(
                        .thead(
                            .tr(
                                .th(.text("Project")), .th(.text("Unit")), .th(.text("Status")), .th(.text("Stage")),
                                .th(.text("Score")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .td(.a(.href(row.url), .text(row.title))),
                                    .td(.text(row.unitPath)),
                                    .td(.span(.class("status status-\(row.status.rawValue)"), .text(row.status.label))),
                                    .td(.text(row.stage?.label ?? "")),
                                    .td(.text(row.score?.text ?? ""))
                                )
                            })
                    ),
                .pagination(page: model.page, of: model.pageCount, label: "Pages of projects") {
                    model.link(page: $0)
                }
            )
        }

        private func link(_ label: String, to url: String, current: Bool) -> Node<HTML.BodyContext> {
            current
                ? .a(.href(url.markupEscaped), .attribute(named: "aria-current", value: "page"), .strong(.text(label)))
                : .a(.href(url.markupEscaped), .text(label))
        }
    }
}

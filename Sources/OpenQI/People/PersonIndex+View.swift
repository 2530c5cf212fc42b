import Foundation
import Plot

extension PersonIndex {
    final class View: ModelPage<Model> {

        override func pageTitle() -> String { "People" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("People")),
                    .if(
                        model.canCreate,
                        .a(.class("button"), .href(SiteURL.people(.new).relativeURL()), .text("Add a person")))
                ),
                .searchForm(
                    action: SiteURL.people(.index).relativeURL(),
                    label: "Search by name, email or role",
                    query: model.query, includeArchived: model.includeArchived, extra: filters()
                ),
                .if(
                    model.awaitingOnly,
                    .p(
                        .class("lead"),
                        .text("Service users and carers invited onto project teams, whose records await approval. "),
                        .a(.href(SiteURL.people(.index).relativeURL()), .text("Everyone")))),
                .p(.class("count"), .text(model.total == 1 ? "1 person" : "\(model.total) people")),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("Nobody matches this search."))
                    : .scrollingTable(
                        .thead(
                            .tr(.th(.text("Name")), .th(.text("Kind")), .th(.text("Unit")), .th(.text("Role or job")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .class(row.isArchived ? "archived" : ""),
                                    .td(
                                        .a(.href(SiteURL.people(.show(.value(row.id))).relativeURL()), .text(row.name)),
                                        .if(row.isArchived, .span(.class("tag muted"), .text("Archived"))),
                                        .if(row.awaitsApproval, .span(.class("tag muted"), .text("Awaiting approval")))
                                    ),
                                    .td(.text(row.kind.label)),
                                    .td(.text(row.unitPath)),
                                    .td(.text(row.jobTitle ?? ""))
                                )
                            })
                    ),
                pagination()
            )
        }

        private func filters() -> Node<HTML.BodyContext> {
            .group(
                .formField(
                    FormField(
                        name: "kind", label: "Kind",
                        control: .select(every: PersonKind.self, none: "Everyone")),
                    state: FormState(values: ["kind": model.kind?.rawValue ?? ""])
                ),
                .formField(
                    FormField(
                        name: "unit", label: "Unit (and below)",
                        control: .select([.init(value: "", label: "All units")] + model.unitOptions)),
                    state: FormState(values: ["unit": model.unitID?.uuidString ?? ""])
                )
            )
        }

        private func pagination() -> Node<HTML.BodyContext> {
            let pages = max(1, (model.total + model.pageSize - 1) / model.pageSize)
            func link(_ page: Int) -> String {
                var query: [(String, String)] = [("page", "\(page)")]
                if !model.query.isEmpty { query.append(("q", model.query)) }
                if let kind = model.kind { query.append(("kind", kind.rawValue)) }
                if let unit = model.unitID { query.append(("unit", unit.uuidString)) }
                if model.includeArchived { query.append(("archived", "1")) }
                if model.awaitingOnly { query.append(("awaiting", "yes")) }
                return SiteURL.people(.index).relativeURL(query: query)
            }
            return .pagination(page: model.page, of: pages, label: "Pages of people") { link($0) }
        }
    }
}

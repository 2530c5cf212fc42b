import Charts
import Foundation
import Plot

extension UnitIndex {
    final class View: ModelPage<Model> {

        override func pageTitle() -> String { "Units" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(.text("Units")),
                    .if(
                        model.canCreate,
                        .a(.class("button"), .href(SiteURL.units(.new).relativeURL()), .text("Add a unit")))
                ),
                .searchForm(
                    action: SiteURL.units(.index).relativeURL(), label: "Search units", query: model.query,
                    includeArchived: model.includeArchived
                ),
                model.rows.isEmpty
                    ? .p(
                        .class("empty"),
                        .text(model.query.isEmpty ? "There are no units yet." : "No unit matches “\(model.query)”."))
                    : .ul(
                        .class("unit-tree"),
                        .forEach(model.rows) { row in
                            .li(
                                .class("depth-\(min(row.depth, 6))\(row.isArchived ? " archived" : "")"),
                                .a(.href(SiteURL.units(.show(.value(row.id))).relativeURL()), .text(row.name)),
                                .span(.class("tag"), .text(row.kind.label)),
                                .if(row.isArchived, .span(.class("tag muted"), .text("Archived"))),
                                .if(!model.query.isEmpty, .span(.class("path"), .text(row.path)))
                            )
                        })
            )
        }
    }
}

extension Node where Context == HTML.BodyContext {
    /// The search box above a list, with the choice to include archived records.
    static func searchForm(action: String, label: String, query: String, includeArchived: Bool, extra: Node = .empty)
        -> Node
    {
        .getForm(
            action: action, class: "search-form", .attribute(named: "role", value: "search"),
            .label(.for("q"), .text(label)),
            .input(.type(.search), .id("q"), .name("q"), .attribute(named: "value", value: query.markupEscaped)),
            extra,
            .label(
                .class("checkbox"),
                .input(.type(.checkbox), .name("archived"), .value("1"), .checked(includeArchived)),
                .text(" Include archived")
            ),
            .button(.type(.submit), .class("button secondary"), .text("Search"))
        )
    }
}

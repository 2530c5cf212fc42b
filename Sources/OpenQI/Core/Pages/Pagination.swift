import Plot

extension Node where Context == HTML.BodyContext {
    /// The one way through a long list: where this page is, and links to the pages either side.
    /// `link` gives a page's address, keeping the list's other choices.
    static func pagination(page: Int, of pageCount: Int, label: String, link: (Int) -> String) -> Node {
        guard pageCount > 1 else { return .empty }
        return .nav(
            .class("pagination"), .attribute(named: "aria-label", value: label),
            .if(
                page > 1,
                .a(
                    .attribute(named: "rel", value: "prev"), .href(link(page - 1).markupEscaped),
                    .text("← Previous page"))
            ),
            .span(.text(" Page \(page) of \(pageCount) ")),
            .if(
                page < pageCount,
                .a(.attribute(named: "rel", value: "next"), .href(link(page + 1).markupEscaped), .text("Next page →")))
        )
    }
}

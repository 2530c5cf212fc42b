import Charts
import Foundation
import Plot
import Vapor

/// What the frame of every page needs to know about the request, as plain values,
/// so views can be rendered and tested without a request or a database.
package struct PageContext: Sendable, Equatable {
    struct Link: Sendable, Equatable {
        let label: String
        let url: String
    }

    var viewerName: String?
    var csrfToken: String
    var navigation: [Link]
    /// A one-off message after an action ("Ward 7 was created.").
    var notice: String?
    var currentPath: String
    /// For a page saved as one file (the board report's export): the stylesheet inlined, and no
    /// header, navigation or forms that would need the server.
    var inlineStylesheet: String? = nil
    /// The section the action was taken in (an id on the page), when it was not at the top: the
    /// notice links back to it.
    var noticeReturn: String? = nil

    package static func signedOut(csrfToken: String, notice: String? = nil, currentPath: String = "/") -> PageContext {
        PageContext(viewerName: nil, csrfToken: csrfToken, navigation: [], notice: notice, currentPath: currentPath)
    }

    /// The frame of a signed-in viewer's page, without navigation: for timing how a page draws.
    package static func signedIn(_ viewerName: String, csrfToken: String) -> PageContext {
        PageContext(viewerName: viewerName, csrfToken: csrfToken, navigation: [], notice: nil, currentPath: "/")
    }

    /// The context of a page saved as one self-contained file.
    /// The content security policy of a standalone page: inline styles and pictures drawn in it, nothing else.
    static let standalonePolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"

    static func standalone(stylesheet: String) -> PageContext {
        PageContext(
            viewerName: nil, csrfToken: "", navigation: [], notice: nil, currentPath: "/", inlineStylesheet: stylesheet)
    }

    var isStandalone: Bool { inlineStylesheet != nil }
}

/// The one HTML layout. A page subclasses it, holds its model, and overrides `pageTitle()`,
/// `breadcrumbs()` and `content()`; everything else is drawn here (after the Swift Package Index
/// server's `PublicPage`).
package class Layout {
    let context: PageContext

    package init(context: PageContext) {
        self.context = context
    }

    func pageTitle() -> String { "OpenQI" }

    func breadcrumbs() -> [PageContext.Link] { [] }

    func content() -> Node<HTML.BodyContext> { .empty }

    final func document() -> HTML {
        HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                // A saved copy (the board report sent with the papers) is opened from a disk or a
                // mail, away from OpenQI's headers: it carries its own policy, which runs nothing and
                // loads nothing from anywhere.
                .if(
                    context.isStandalone,
                    .raw("<meta http-equiv=\"Content-Security-Policy\" content=\"\(PageContext.standalonePolicy)\">")),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                // Plot's `.title` also writes social-media meta tags without escaping them; the element alone is safe.
                .element(named: "title", text: "\(pageTitle()) — OpenQI"),
                .meta(.name("csrf-token"), .content(context.csrfToken.markupEscaped)),
                context.inlineStylesheet.map { .raw("<style>\($0)</style>") }
                    ?? .link(.rel(.stylesheet), .href("/app.css")),
                // Folds the navigation on a phone and focuses a form's errors; a saved copy runs nothing.
                .if(
                    !context.navigation.isEmpty && !context.isStandalone,
                    .script(.src("/site.js"), .defer()))
            ),
            .body(
                .a(.class("skip-link"), .href("#main"), .text("Skip to main content")),
                context.isStandalone ? .empty : header(),
                .main(
                    .id("main"),
                    context.isStandalone ? .empty : breadcrumbTrail(),
                    .unwrap(context.notice) { text in
                        // The page opens here after an action taken lower down (`redirect(to:notice:)`),
                        // and the notice takes the focus, so what happened is read first.
                        .div(
                            .class("notice"), .id(Notice.anchor), .attribute(named: "role", value: "status"),
                            .attribute(named: "tabindex", value: "-1"), .text(text),
                            .unwrap(context.noticeReturn) { section in
                                .group(.text(" "), .a(.href("#\(section)"), .text("Back to where you were")))
                            })
                    },
                    content()
                ),
                .footer(
                    .class("site-footer"), .p(.text("OpenQI — open-source infrastructure for quality improvement.")))
            )
        )
    }

    package final func render() -> String {
        "<!DOCTYPE html>" + document().render().dropFirst("<!DOCTYPE html>".count)
    }

    private func header() -> Node<HTML.BodyContext> {
        .header(
            .class("site-header"),
            .a(.class("brand"), .href(SiteURL.home.relativeURL()), .text("OpenQI")),
            .if(
                !context.navigation.isEmpty,
                .nav(
                    .attribute(named: "aria-label", value: "Main"),
                    .ul(
                        .forEach(context.navigation) { link in
                            .li(
                                .a(
                                    .href(link.url), .text(link.label),
                                    .attribute(named: "aria-current", value: isCurrent(link) ? "page" : nil)
                                ))
                        })
                )),
            .unwrap(context.viewerName) { name in
                .div(
                    .class("account"),
                    .span(.class("viewer-name"), .text(name)),
                    .a(.href(SiteURL.changePassword.relativeURL()), .text("Change password")),
                    .postButton(
                        "Sign out", to: SiteURL.signOut.relativeURL(), csrfToken: context.csrfToken,
                        style: "link-button")
                )
            }
        )
    }

    private func isCurrent(_ link: PageContext.Link) -> Bool {
        link.url == "/" ? context.currentPath == "/" : context.currentPath.hasPrefix(link.url)
    }

    private func breadcrumbTrail() -> Node<HTML.BodyContext> {
        let crumbs = breadcrumbs()
        guard !crumbs.isEmpty else { return .empty }
        return .nav(
            .class("breadcrumbs"), .attribute(named: "aria-label", value: "Breadcrumb"),
            .ol(.forEach(crumbs) { .li(.a(.href($0.url), .text($0.label))) })
        )
    }
}

/// A page drawn from one plain model: every page of OpenQI is a `ModelPage` subclass.
package class ModelPage<Model: Sendable>: Layout {
    let model: Model

    package init(context: PageContext, model: Model) {
        self.model = model
        super.init(context: context)
    }
}

extension Layout {
    /// The page's content alone, as HTML.
    func contentHTML() -> String { content().render() }

    /// The page as an HTTP response.
    func response(status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: render()))
    }
}

extension Request {
    /// The frame of a page for this request: who is signed in, what they may reach, and any notice.
    func pageContext() async throws -> PageContext {
        guard let viewer else {
            var context = PageContext.signedOut(csrfToken: csrfToken, notice: notice, currentPath: url.path)
            context.noticeReturn = noticeReturn
            return context
        }
        let policy = try await policy()
        var navigation: [PageContext.Link] = [
            .init(label: "Home", url: SiteURL.home.relativeURL()),
            .init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL()),
            .init(label: "Programmes", url: SiteURL.programmes(.index).relativeURL()),
            .init(label: "Projects", url: SiteURL.projects(.index).relativeURL()),
            .init(label: "Forums", url: SiteURL.forums(.index).relativeURL()),
            .init(label: "Units", url: SiteURL.units(.index).relativeURL()),
            .init(label: "People", url: SiteURL.people(.index).relativeURL()),
            .init(label: "Capability", url: SiteURL.capability(.dashboard).relativeURL()),
        ]
        if policy.allows(.viewAuditLog) {
            navigation.append(.init(label: "Audit log", url: SiteURL.audit.relativeURL()))
        }
        if policy.allows(.issueAPITokens) {
            navigation.append(.init(label: "API tokens", url: SiteURL.apiTokens(.index).relativeURL()))
        }
        return PageContext(
            viewerName: viewer.name, csrfToken: viewer.csrfToken, navigation: navigation,
            notice: notice, currentPath: url.path, noticeReturn: noticeReturn
        )
    }
}

/// The app's stylesheet, read once from the bundle, for pages saved as one file.
enum Stylesheet {
    static let text: String = {
        guard let url = Bundle.module.url(forResource: "Public/app.css", withExtension: nil),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }()
}

extension Node where Context == HTML.BodyContext {
    /// A header cell's scope (`col` or `row`), so a screen reader announces each value with its header.
    static func scope(_ value: String) -> Node { .attribute(named: "scope", value: value) }

    /// The top of a page: its `h1` (with any tags), and the buttons for what the viewer may do with
    /// what the page shows.
    static func pageHeading(_ nodes: Node...) -> Node {
        .div(.class("page-heading"), .group(nodes))
    }

    /// A button that prints the page (through `site.js`: the pages' scripts are files, never
    /// inline, so a page's own `onclick` would never run). Hidden until the script shows it, so
    /// nobody meets a button that does nothing.
    static func printButton(_ label: String) -> Node {
        .button(
            .type(.button), .class("button secondary"), .attribute(named: "data-print", value: "page"),
            .attribute(named: "hidden", value: "hidden"), .text(label))
    }

    /// A table in a box of its own that scrolls sideways on a narrow screen, its first column kept
    /// in view there, so the page itself never does.
    static func scrollingTable(_ nodes: Node<HTML.TableContext>...) -> Node {
        .div(.class("table-scroll"), .keyboardScrollable, .table(.group(nodes)))
    }

    /// A drawn chart (SVG from `Charts`): on a narrow screen it keeps its text readable and scrolls
    /// sideways in its own box.
    static func chart(_ svg: String, kind: String? = nil) -> Node {
        .div(.class(["chart", kind].compactMap { $0 }.joined(separator: " ")), .keyboardScrollable, .raw(svg))
    }

    /// A box that may scroll sideways can be reached by keyboard to scroll it, whatever it holds.
    static var keyboardScrollable: Node { .attribute(named: "tabindex", value: "0") }

    /// A page's heading and the lead paragraph under it that says what the page is for.
    static func heading(_ title: String, lead: String) -> Node {
        .group(.h1(.text(title)), .p(.class("lead"), .text(lead)))
    }

    /// A moment as people read it, in a `time` element that carries it exactly for machines.
    static func moment(_ date: Date) -> Node {
        .element(
            named: "time",
            nodes: [.attribute(named: "datetime", value: CalendarDay.timestamp(date)), .text(CalendarDay.moment(date))])
    }
}

extension Node where Context == HTML.DetailsContext {
    /// `scrollingTable` inside a `details` element (a chart's data, shown on request).
    static func scrollingTable(_ nodes: Node<HTML.TableContext>...) -> Node {
        .div(.class("table-scroll"), .attribute(named: "tabindex", value: "0"), .table(.group(nodes)))
    }
}

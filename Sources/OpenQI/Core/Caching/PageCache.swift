import Foundation
import Plot
import Vapor

/// A page's content as drawn for many viewers, with what the frame needs of it.
private struct DrawnContent: Sendable, ResultCost {
    let title: String
    let breadcrumbs: [PageContext.Link]
    let pieces: [String]

    var approximateBytes: Int { pieces.reduce(title.utf8.count) { $0 + $1.utf8.count } }
}

/// A page whose content was drawn before: the frame is drawn for this request around it.
final class DrawnPage: Layout {
    private let title: String
    private let trail: [PageContext.Link]
    private let html: String

    package init(context: PageContext, title: String, breadcrumbs: [PageContext.Link], content html: String) {
        self.title = title
        self.trail = breadcrumbs
        self.html = html
        super.init(context: context)
    }

    override func pageTitle() -> String { title }
    override func breadcrumbs() -> [PageContext.Link] { trail }
    override func content() -> Node<HTML.BodyContext> { .raw(html) }
}

extension Request {
    /// A page whose content is the same for everyone who may do the same things with it (`key`
    /// names both), drawn once per revision of the organisation's records; only the frame — who is
    /// signed in, the notice — is drawn for each request. Forms in the content carry the viewer's
    /// anti-forgery token, so the kept copy has a stand-in that is replaced on the way out.
    func page<Key: ResultKey>(
        drawnOnceAs key: Key?, status: HTTPResponseStatus = .ok,
        _ draw: @escaping @Sendable (PageContext) async throws -> Layout
    ) async throws -> Response {
        let context = try await pageContext()
        guard let key else { return try await draw(context).response(status: status) }
        let standIn = application.resultCache.csrfStandIn
        var frozen = context
        frozen.csrfToken = standIn
        let drawn = try await cachedResults().value(key) { [frozen] in
            let page = try await draw(frozen)
            // Kept as the pieces between stand-ins, so each request joins them rather than searching.
            return DrawnContent(
                title: page.pageTitle(), breadcrumbs: page.breadcrumbs(),
                pieces: page.contentHTML().pieces(between: standIn))
        }
        return DrawnPage(
            context: context, title: drawn.title, breadcrumbs: drawn.breadcrumbs,
            content: drawn.pieces.joined(separator: context.csrfToken)
        ).response(status: status)
    }
}

extension String {
    /// The text between occurrences of `separator`, found byte by byte. (Foundation's
    /// `components(separatedBy:)` compares characters with its comparison options, and took a
    /// tenth of the time to draw a programme dashboard of 700 kB.)
    func pieces(between separator: String) -> [String] {
        let bytes = Array(utf8)
        let mark = Array(separator.utf8)
        guard let first = mark.first, bytes.count >= mark.count else { return [self] }
        var pieces: [String] = []
        var start = 0
        var index = 0
        while index <= bytes.count - mark.count {
            if bytes[index] == first, bytes[index..<(index + mark.count)].elementsEqual(mark) {
                pieces.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += mark.count
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self))
        return pieces
    }
}

import Foundation
import Vapor

/// Where a notice sits on a page, and how the section an action was taken in travels with it.
enum Notice {
    /// The notice's id: a redirect to a section far down a page opens at the notice instead.
    static let anchor = "notice"
    /// Between the section's id and the text in the cookie; no notice or id contains it.
    static let separator: Character = "\u{1F}"

    /// A section id as OpenQI writes them: letters, digits and hyphens.
    static func isSectionID(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 60 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}

/// One-off messages shown on the page after a redirect ("Ward 7 was created."). The text travels
/// in a short-lived cookie set by the server, so a link cannot make OpenQI say something it did not.
struct NoticeMiddleware: AsyncMiddleware {
    static let cookieName = "openqi_notice"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let incoming = request.cookies[Self.cookieName]?.string
        if let text = incoming?.removingPercentEncoding {
            let parts = text.split(separator: Notice.separator, maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, Notice.isSectionID(parts[0]) {
                request.noticeReturn = String(parts[0])
                request.notice = String(parts[1])
            } else {
                request.notice = text
            }
        }
        let response = try await next.respond(to: request)
        // Shown once: clear it, unless this response is the redirect that sets a new one.
        if incoming != nil, response.cookies[Self.cookieName] == nil, response.status != .seeOther {
            response.cookies[Self.cookieName] = .expired
        }
        return response
    }
}

extension Request {
    private struct NoticeKey: StorageKey { typealias Value = String }
    private struct NoticeReturnKey: StorageKey { typealias Value = String }

    var notice: String? {
        get { storage[NoticeKey.self] }
        set { storage[NoticeKey.self] = newValue }
    }

    /// The section the notice's action was taken in, which the notice links back to.
    var noticeReturn: String? {
        get { storage[NoticeReturnKey.self] }
        set { storage[NoticeReturnKey.self] = newValue }
    }

    /// Redirects after a successful action, carrying a notice to show on the next page, which opens
    /// at the notice with the focus on it. A location naming a section (`…#team`) opens there too,
    /// and the notice links back to the section: what happened is where the person is looking, as
    /// a failed form's error summary is.
    func redirect(to location: String, notice: String) -> Response {
        var target = location
        var carried = notice
        if let hash = location.firstIndex(of: "#") {
            if Notice.isSectionID(location[location.index(after: hash)...]) {
                target = location[..<hash] + "#" + Notice.anchor
                carried = location[location.index(after: hash)...] + String(Notice.separator) + notice
            }
        } else {
            // A page always opens at its notice: a form posted to its own anchor would otherwise
            // pass that fragment on to the next page.
            target += "#" + Notice.anchor
        }
        let response = redirect(to: target, redirectType: .normal)
        response.cookies[NoticeMiddleware.cookieName] = HTTPCookies.Value(
            string: carried.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
            maxAge: 60, isHTTPOnly: true, sameSite: .lax
        )
        return response
    }
}

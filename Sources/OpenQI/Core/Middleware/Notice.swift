import Foundation
import Vapor

/// One-off messages shown on the page after a redirect ("Ward 7 was created."). The text travels
/// in a short-lived cookie set by the server, so a link cannot make OpenQI say something it did not.
struct NoticeMiddleware: AsyncMiddleware {
    static let cookieName = "openqi_notice"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let incoming = request.cookies[Self.cookieName]?.string
        if let incoming { request.notice = incoming.removingPercentEncoding }
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

    var notice: String? {
        get { storage[NoticeKey.self] }
        set { storage[NoticeKey.self] = newValue }
    }

    /// Redirects after a successful action, carrying a notice to show on the next page.
    func redirect(to location: String, notice: String) -> Response {
        let response = redirect(to: location, redirectType: .normal)
        response.cookies[NoticeMiddleware.cookieName] = HTTPCookies.Value(
            string: notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
            maxAge: 60, isHTTPOnly: true, sameSite: .lax
        )
        return response
    }
}

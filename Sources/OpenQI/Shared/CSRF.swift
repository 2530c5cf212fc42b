import Foundation
import Vapor

/// Rejects unsafe requests (POST, PUT, PATCH, DELETE) that do not carry this browser's anti-forgery token:
/// the `_csrf` form field or the `X-CSRF-Token` header. Signed-in browsers use their session's token;
/// signed-out ones (the sign-in form) a random token in a cookie of their own.
struct CSRFMiddleware: AsyncMiddleware {
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"
    static let anonymousCookie = "openqi_csrf"

    let secureCookies: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let anonymousToken = request.cookies[Self.anonymousCookie]?.string
        let expected = request.viewer?.csrfToken ?? anonymousToken
        var issuedToken: String?
        if request.viewer == nil, anonymousToken == nil {
            issuedToken = AccountSession.makeToken()
            request.anonymousCSRFToken = issuedToken
        } else if request.viewer == nil {
            request.anonymousCSRFToken = anonymousToken
        }

        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) {
            if request.headers.first(name: Self.header) == nil, request.body.data == nil {
                // Middleware runs before the route collects the body; the form field is in it.
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            let sent = request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.formField))
            guard let expected, let sent, Array(sent.utf8).secureCompare(to: Array(expected.utf8)) else {
                throw Abort(
                    .forbidden,
                    reason: "This form was out of date or came from another site, so nothing was saved. "
                        + "Go back, reload the page and submit it again."
                )
            }
        }

        let response = try await next.respond(to: request)
        if let issuedToken {
            response.cookies[Self.anonymousCookie] = HTTPCookies.Value(
                string: issuedToken, isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax
            )
        }
        return response
    }
}

extension Request {
    private struct AnonymousCSRFKey: StorageKey { typealias Value = String }

    var anonymousCSRFToken: String? {
        get { storage[AnonymousCSRFKey.self] }
        set { storage[AnonymousCSRFKey.self] = newValue }
    }

    /// The token forms on this page must carry.
    var csrfToken: String { viewer?.csrfToken ?? anonymousCSRFToken ?? "" }
}

import Foundation
import Vapor

/// Rejects unsafe requests (POST, PUT, PATCH, DELETE) that do not carry this browser's anti-forgery token:
/// the `_csrf` form field or the `X-CSRF-Token` header. Signed-in browsers use their session's token;
/// signed-out ones (the sign-in form) a random token in a cookie of their own, issued when a page
/// with a form first needs it.
struct CSRFMiddleware: AsyncMiddleware {
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"
    static let anonymousCookie = "openqi_csrf"

    let secureCookies: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let cookie = request.cookies[Self.anonymousCookie]?.string ?? ""
        let anonymousToken: String? = cookie.isEmpty ? nil : cookie
        if let anonymousToken {
            request.storage[AnonymousCSRFKey.self] = AnonymousCSRFKey.Value(token: anonymousToken, isNew: false)
        }

        // An API call with a bearer token, or without a session, carries no cookie a forger could
        // borrow: the route itself asks for a token or a sign-in (401). (A cross-site form cannot
        // send an Authorization header.) Pages take no bearer token, so one sent to a page
        // excuses nothing.
        let forgeable =
            !(request.isAPI && (request.headers.bearerAuthorization != nil || request.sessionCSRFToken == nil))
        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method), forgeable {
            if request.headers.first(name: Self.header) == nil, request.body.data == nil {
                // Middleware runs before the route collects the body; the form field is in it.
                _ = try await request.body.collect(max: UploadLimit.of(request)).get()
            }
            try UploadLimit.check(request)
            let expected = request.sessionCSRFToken ?? anonymousToken
            let sent =
                request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.formField))
            guard let expected, let sent, Array(sent.utf8).secureCompare(to: Array(expected.utf8)) else {
                throw Abort(
                    .forbidden,
                    reason: "This form was out of date or came from another site, so nothing was saved. "
                        + "Go back, reload the page and submit it again."
                )
            }
        }

        let response = try await next.respond(to: request)
        if let issued = request.storage[AnonymousCSRFKey.self], issued.isNew {
            response.cookies[Self.anonymousCookie] = HTTPCookies.Value(
                string: issued.token, isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax
            )
        }
        return response
    }
}

private struct SessionCSRFKey: StorageKey { typealias Value = String }

extension Request {
    /// The anti-forgery token of the signed-in session, set by whatever signed the request in
    /// (Accounts' session middleware); nil for a signed-out browser.
    var sessionCSRFToken: String? {
        get { storage[SessionCSRFKey.self] }
        set { storage[SessionCSRFKey.self] = newValue }
    }
}

/// A random token of 256 bits, URL-safe base64 without padding: session and anti-forgery tokens.
extension Data {
    /// Base64url without padding (RFC 4648 §5), as tokens, PKCE and JOSE write it.
    var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

enum SecureToken {
    static func make() -> String {
        Data([UInt8].random(count: 32)).base64URLEncoded
    }
}

private struct AnonymousCSRFKey: StorageKey {
    struct Value: Sendable {
        let token: String
        let isNew: Bool
    }
}

extension Request {
    /// The token forms on this page must carry: the session's, or for a signed-out browser its own
    /// cookie's (made now, and set on the response, if it has none yet).
    var csrfToken: String {
        if let sessionCSRFToken { return sessionCSRFToken }
        if let anonymous = storage[AnonymousCSRFKey.self] { return anonymous.token }
        let token = SecureToken.make()
        storage[AnonymousCSRFKey.self] = .init(token: token, isNew: true)
        return token
    }
}

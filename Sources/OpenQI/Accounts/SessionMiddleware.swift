import Fluent
import Foundation
import Vapor

/// Finds the signed-in viewer from the session cookie, and slides the session's expiry on use.
struct SessionMiddleware: AsyncMiddleware {
    let idleTimeout: TimeInterval
    /// Touch the session row at most this often, so reads do not write on every request.
    let touchInterval: TimeInterval = 300

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.cookies[AccountSession.cookieName]?.string, !token.isEmpty {
            request.viewer = try await viewer(forToken: token, on: request.db)
        }
        return try await next.respond(to: request)
    }

    private func viewer(forToken token: String, on db: any Database) async throws -> Viewer? {
        let now = Date()
        guard
            let session = try await AccountSession.query(on: db)
                .filter(\.$tokenHash == AccountSession.hash(token: token))
                .filter(\.$expiresAt > now)
                .with(\.$account, { $0.with(\.$person) })
                .first(),
            let sessionID = session.id, let accountID = session.account.id
        else { return nil }
        let person = session.account.person
        guard !person.isArchived, let personID = person.id else { return nil }
        if now.timeIntervalSince(session.lastSeenAt) > touchInterval {
            session.lastSeenAt = now
            session.expiresAt = now.addingTimeInterval(idleTimeout)
            try await session.save(on: db)
        }
        let grants = try await RoleGrant.query(on: db).filter(\.$person.$id == personID).all()
        return Viewer(
            accountID: accountID, personID: personID, name: person.fullName, email: session.account.email,
            isAdministrator: session.account.isAdministrator,
            mustChangePassword: session.account.mustChangePassword,
            sessionID: sessionID, csrfToken: session.csrfToken, grants: Set(grants.map(\.scope))
        )
    }
}

/// Pages and API routes that need a signed-in viewer. Pages redirect to the sign-in page (and back
/// afterwards); the API answers 401 with a JSON error. A one-time password must be changed first.
struct RequireSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let viewer = request.viewer else {
            if request.isAPI { throw Abort(.unauthorized, reason: "Sign in, or send an API token, to use the API.") }
            let next = request.method == .GET ? request.url.string : SiteURL.home.relativeURL()
            return request.redirect(to: SiteURL.signIn.relativeURL(query: [("next", next)]))
        }
        let mayStay = [SiteURL.changePassword, .signOut].map { $0.relativeURL() }.contains(request.url.path)
        if viewer.mustChangePassword, !mayStay {
            if request.isAPI {
                throw Abort(
                    .forbidden,
                    reason: "This sign-in still has its one-time password. Sign in on a page and change it first.")
            }
            return request.redirect(to: SiteURL.changePassword.relativeURL())
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// Whether the request is for the JSON API rather than a page.
    var isAPI: Bool { url.path.hasPrefix("/api/") }
}

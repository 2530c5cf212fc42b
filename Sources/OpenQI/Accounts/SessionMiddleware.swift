import Fluent
import Foundation
import SQLKit
import Vapor

/// Finds the signed-in viewer from the session cookie, and slides the session's expiry on use.
struct SessionMiddleware: AsyncMiddleware {
    let idleTimeout: TimeInterval
    /// Touch the session row at most this often, so reads do not write on every request.
    let touchInterval: TimeInterval = 300

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.cookies[AccountSession.cookieName]?.string, !token.isEmpty {
            request.viewer = try await viewer(forToken: token, on: request)
        }
        return try await next.respond(to: request)
    }

    /// The session, its account, person and role grants, and the organisation's revision, in one
    /// query: this runs before every signed-in request.
    private func viewer(forToken token: String, on request: Request) async throws -> Viewer? {
        struct Row: Decodable {
            let session_id: UUID
            let csrf_token: String
            let last_seen_at: Date
            let through_provider: Bool
            let account_id: UUID
            let email: String
            let is_administrator: Bool
            let must_change_password: Bool
            let person_id: UUID
            let full_name: String
            let archived_at: Date?
            let grant_unit_id: UUID?
            let grant_role: String?
            let revision: Int
        }
        let db = request.db
        let now = AppClock.now
        let rows = try await db.sql.select()
            .column(SQLColumn("id", table: AccountSession.schema), as: "session_id")
            .column(SQLColumn("csrf_token", table: AccountSession.schema))
            .column(SQLColumn("last_seen_at", table: AccountSession.schema))
            .column(SQLColumn("through_provider", table: AccountSession.schema))
            .column(SQLColumn("id", table: Account.schema), as: "account_id")
            .column(SQLColumn("email", table: Account.schema))
            .column(SQLColumn("is_administrator", table: Account.schema))
            .column(SQLColumn("must_change_password", table: Account.schema))
            .column(SQLColumn("id", table: Person.schema), as: "person_id")
            .column(SQLColumn("full_name", table: Person.schema))
            .column(SQLColumn("archived_at", table: Person.schema))
            .column(SQLColumn("unit_id", table: RoleGrant.schema), as: "grant_unit_id")
            .column(SQLColumn("role", table: RoleGrant.schema), as: "grant_role")
            .column(SQLRaw("(SELECT revision FROM \(OrganisationRevision.schema))"), as: "revision")
            .from(AccountSession.schema)
            .join(
                Account.schema, on: SQLColumn("account_id", table: AccountSession.schema), .equal,
                SQLColumn("id", table: Account.schema)
            )
            .join(
                Person.schema, on: SQLColumn("person_id", table: Account.schema), .equal,
                SQLColumn("id", table: Person.schema)
            )
            .join(
                RoleGrant.schema, method: SQLJoinMethod.left,
                on: SQLColumn("person_id", table: RoleGrant.schema), .equal, SQLColumn("id", table: Person.schema)
            )
            .where(
                SQLColumn("token_hash", table: AccountSession.schema), .equal,
                SQLBind(AccountSession.hash(token: token))
            )
            .where(SQLColumn("expires_at", table: AccountSession.schema), .greaterThan, SQLBind(now))
            .all(decoding: Row.self)
        guard let row = rows.first, row.archived_at == nil else { return nil }
        // The revision this request's cached results are checked against, read before anything else.
        request.useRevision(row.revision)
        if now.timeIntervalSince(row.last_seen_at) > touchInterval {
            try await db.sql.update(AccountSession.schema)
                .set("last_seen_at", to: now).set("expires_at", to: now.addingTimeInterval(idleTimeout))
                .where("id", .equal, row.session_id).run()
        }
        return Viewer(
            accountID: row.account_id, personID: row.person_id, name: row.full_name, email: row.email,
            isAdministrator: row.is_administrator,
            // Someone the identity provider vouched for is not held up by a one-time OpenQI password.
            mustChangePassword: row.must_change_password && !row.through_provider,
            sessionID: row.session_id, csrfToken: row.csrf_token,
            grants: Set(
                rows.compactMap { grant in
                    guard let unitID = grant.grant_unit_id, let role = grant.grant_role.flatMap(Role.init) else {
                        return nil
                    }
                    return RoleGrant.Scope(unitID: unitID, role: role)
                })
        )
    }
}

/// Pages and API routes that need a signed-in viewer. Pages redirect to the sign-in page (and back
/// afterwards); the API answers 401 with a JSON error. A one-time password must be changed first.
struct RequireSignIn: AsyncMiddleware {
    /// What the API answers a sign-in that has not yet changed its one-time password.
    static let oneTimePassword = Abort(
        .forbidden, reason: "This sign-in still has its one-time password. Sign in on a page and change it first.")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let viewer = request.viewer else {
            if request.isAPI { throw Abort(.unauthorized, reason: "Sign in, or send an API token, to use the API.") }
            let next = request.method == .GET ? request.url.string : SiteURL.home.relativeURL()
            return request.redirect(to: SiteURL.signIn.relativeURL(query: [("next", next)]))
        }
        let mayStay = [SiteURL.changePassword, .signOut].map { $0.relativeURL() }.contains(request.url.path)
        if viewer.mustChangePassword, !mayStay {
            if request.isAPI { throw Self.oneTimePassword }
            return request.redirect(to: SiteURL.changePassword.relativeURL())
        }
        return try await next.respond(to: request)
    }
}

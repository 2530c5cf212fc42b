import Fluent
import Foundation
import Vapor

/// Signing in through the installation's OpenID Connect provider: the authorisation code flow with
/// PKCE (OpenID Connect Core §3.1, RFC 7636). Signing out ends the OpenQI session only.
enum SingleSignOnController {
    /// Sends the browser to the provider, remembering the state, nonce and PKCE verifier.
    @Sendable static func start(req: Request) async throws -> Response {
        guard let singleSignOn = req.application.singleSignOn else {
            return try await AccountController.signInPage(req, failure: .notSetUp, next: nil)
        }
        let next = AccountController.safeRedirect(req.query[String.self, at: "next"])
        do {
            let document = try await singleSignOn.document(now: AppClock.now)
            let state = SecureToken.make()
            let nonce = SecureToken.make()
            let verifier = SecureToken.make()
            try await SingleSignOnAttempt(
                state: state, nonce: nonce, codeVerifier: verifier, next: next, now: AppClock.now
            )
            .create(on: req.db)
            var address = URLComponents(string: document.authorization_endpoint)
            let existing = address?.queryItems ?? []
            address?.queryItems =
                existing + [
                    URLQueryItem(name: "response_type", value: "code"),
                    URLQueryItem(name: "client_id", value: singleSignOn.settings.clientID),
                    URLQueryItem(name: "redirect_uri", value: singleSignOn.settings.callbackURL),
                    URLQueryItem(name: "scope", value: "openid email profile"),
                    URLQueryItem(name: "state", value: state),
                    URLQueryItem(name: "nonce", value: nonce),
                    URLQueryItem(name: "code_challenge", value: SingleSignOnAttempt.challenge(for: verifier)),
                    URLQueryItem(name: "code_challenge_method", value: "S256"),
                ]
            guard let location = address?.url?.absoluteString else {
                throw SingleSignOnError.providerUnreachable(
                    detail: "the authorization endpoint \(document.authorization_endpoint) is not an address")
            }
            let response = req.redirect(to: location, redirectType: .normal)
            // Lax, so the provider's redirect back (a top-level GET) carries it; bound to this path.
            response.cookies[SingleSignOnAttempt.cookieName] = HTTPCookies.Value(
                string: state, maxAge: Int(SingleSignOnAttempt.lifetime),
                path: SiteURL.singleSignOnCallback.relativeURL(),
                isSecure: req.application.openQIConfiguration.secureCookies, isHTTPOnly: true, sameSite: .lax
            )
            return response
        } catch let failure as SingleSignOnError {
            log(failure, req)
            return try await AccountController.signInPage(req, failure: failure, next: next)
        }
    }

    struct Answer: Content {
        var code: String?
        var state: String?
        var error: String?
        var error_description: String?
    }

    /// The provider's answer: the state must be the one this browser was given, the code is
    /// exchanged for a signed ID token, and its address must belong to a person in OpenQI.
    @Sendable static func callback(req: Request) async throws -> Response {
        guard let singleSignOn = req.application.singleSignOn else {
            return try await AccountController.signInPage(req, failure: .notSetUp, next: nil)
        }
        let answer = try req.query.decode(Answer.self)
        let cookieState = req.cookies[SingleSignOnAttempt.cookieName]?.string
        var next: String?
        do {
            guard let state = answer.state, state.utf8.count <= 256, state == cookieState,
                let attempt = try await SingleSignOnAttempt.take(state: state, on: req.db, now: AppClock.now)
            else { throw SingleSignOnError.unknownAttempt }
            next = attempt.next
            if let code = answer.error {
                throw SingleSignOnError.providerRefused(
                    code: String(code.prefix(100)), description: answer.error_description.map { String($0.prefix(300)) }
                )
            }
            guard let code = answer.code, !code.isEmpty, code.utf8.count <= 4096 else {
                throw SingleSignOnError.providerRefused(code: "no code", description: "it sent no authorisation code")
            }
            let token = try await singleSignOn.signIn(code: code, attempt: attempt, now: AppClock.now)
            let account = try await account(for: token, claim: singleSignOn.settings.emailClaim, on: req.db)
            account.lastSignInAt = AppClock.now
            try await account.save(on: req.db)
            // The provider vouches for the person: a temporary OpenQI password need not be changed first.
            let response = try await AccountController.startSession(
                for: account, goingTo: attempt.next, throughProvider: true, req: req)
            response.cookies[SingleSignOnAttempt.cookieName] = .expired
            return response
        } catch let failure as SingleSignOnError {
            log(failure, req)
            let page = try await AccountController.signInPage(req, failure: failure, next: next)
            page.cookies[SingleSignOnAttempt.cookieName] = .expired
            return page
        }
    }

    /// The account whose email is the token's address; refused if none, or if the person is archived.
    static func account(for token: IDToken, claim: String, on db: any Database) async throws -> Account {
        guard let address = token.email(claim: claim) else { throw SingleSignOnError.noEmail(claim: claim) }
        let email = Account.normalise(email: address)
        guard let account = try await Account.query(on: db).filter(\.$email == email).with(\.$person).first() else {
            throw SingleSignOnError.noAccount(email: email)
        }
        guard !account.person.isArchived else { throw SingleSignOnError.archived }
        return account
    }

    private static func log(_ failure: SingleSignOnError, _ req: Request) {
        if case .providerUnreachable(let detail) = failure {
            req.logger.error("Single sign-on failed: \(detail)")
        } else {
            req.logger.info("Single sign-on refused: \(failure)")
        }
    }
}

extension Application {
    private struct SingleSignOnKey: StorageKey {
        typealias Value = OpenIDProvider
    }

    /// The identity provider, when `OpenQIConfiguration.singleSignOn` is set.
    var singleSignOn: OpenIDProvider? {
        get { storage[SingleSignOnKey.self] }
        set { storage[SingleSignOnKey.self] = newValue }
    }
}

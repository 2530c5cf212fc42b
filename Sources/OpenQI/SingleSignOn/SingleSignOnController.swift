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
            guard try await SingleSignOnAttempt.mayStart(client: req.clientAddress, on: req.db, now: AppClock.now)
            else {
                throw SingleSignOnError.tooManyAttempts
            }
            let document = try await singleSignOn.document(now: AppClock.now)
            let state = SecureToken.make()
            let nonce = SecureToken.make()
            let verifier = SecureToken.make()
            try await SingleSignOnAttempt(
                state: state, nonce: nonce, codeVerifier: verifier, next: next, client: req.clientAddress,
                now: AppClock.now
            ).create(on: req.db)
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
            let passwords = req.password
            let account = try await SingleSignOnIdentity.signIn(
                token, issuer: singleSignOn.settings.issuer.absoluteString,
                emailClaim: singleSignOn.settings.emailClaim, on: req.db,
                unusablePassword: { try await passwords.async.hash(SecureToken.make()).get() })
            account.lastSignInAt = AppClock.now
            try await account.save(on: req.db)
            let response = try await AccountController.startSession(
                for: account, goingTo: attempt.next, throughProvider: true, req: req)
            forgetState(response, req)
            return response
        } catch let failure as SingleSignOnError {
            log(failure, req)
            let page = try await AccountController.signInPage(req, failure: failure, next: next)
            forgetState(page, req)
            return page
        }
    }

    /// Expires the state cookie: on its own path, or the browser would keep it.
    private static func forgetState(_ response: Response, _ req: Request) {
        response.cookies[SingleSignOnAttempt.cookieName] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0,
            path: SiteURL.singleSignOnCallback.relativeURL(),
            isSecure: req.application.openQIConfiguration.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    private static func log(_ failure: SingleSignOnError, _ req: Request) {
        if case .providerUnreachable(let detail) = failure {
            req.logger.error("Single sign-on failed: \(detail)")
        } else {
            // The reason only: addresses and the provider's words stay out of the log.
            req.logger.info("Single sign-on refused", metadata: ["reason": "\(failure.logLabel)"])
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

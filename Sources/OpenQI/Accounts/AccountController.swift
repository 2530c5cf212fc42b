import Fluent
import Foundation
import Vapor

/// Signing in and out, and changing one's password.
enum AccountController {
    struct SignInInput: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    struct ChangePasswordInput: Content {
        var current_password: String?
        var new_password: String?
        var confirm_password: String?
    }

    @Sendable static func showSignIn(req: Request) async throws -> Response {
        if req.viewer != nil { return req.redirect(to: SiteURL.home.relativeURL()) }
        let next = req.query[String.self, at: "next"]
        return try await signInPage(req, state: FormState(values: ["next": next ?? ""]))
    }

    @Sendable static func signIn(req: Request) async throws -> Response {
        let input = try req.content.decode(SignInInput.self)
        let email = Account.normalise(email: input.email ?? "")
        do {
            if let singleSignOn = req.application.singleSignOn, !singleSignOn.settings.passwordSignIn {
                throw SingleSignOnError.passwordsOff
            }
            let account = try await authenticate(email: email, password: input.password ?? "", req: req)
            let destination =
                account.mustChangePassword
                ? SiteURL.changePassword.relativeURL() : safeRedirect(input.next)
            return try await startSession(for: account, goingTo: destination, req: req)
        } catch let error as SingleSignOnError {
            return try await signInPage(req, failure: error, next: input.next)
        } catch let error as SignInError {
            let state = FormState(
                values: ["email": email, "next": input.next ?? ""],
                errors: [FieldError(field: "email", message: error.message)]
            )
            if case .throttled = error { return try await signInPage(req, state: state, status: .tooManyRequests) }
            return try await signInPage(req, state: state, status: .unauthorized)
        }
    }

    /// Signs the browser in as `account`: a new session, its token in an HTTP-only cookie.
    static func startSession(
        for account: Account, goingTo destination: String, throughProvider: Bool = false, req: Request
    ) async throws -> Response {
        let token = SecureToken.make()
        let now = AppClock.now
        let idleTimeout = req.application.openQIConfiguration.sessionIdleTimeout
        try await AccountSession(
            tokenHash: AccountSession.hash(token: token), accountID: try account.requireID(),
            csrfToken: SecureToken.make(), now: now, expiresAt: now.addingTimeInterval(idleTimeout),
            throughProvider: throughProvider
        ).create(on: req.db)
        let response = req.redirect(to: destination, redirectType: .normal)
        response.cookies[AccountSession.cookieName] = HTTPCookies.Value(
            string: token, isSecure: req.application.openQIConfiguration.secureCookies,
            isHTTPOnly: true, sameSite: .lax
        )
        return response
    }

    /// Checks the password, counted first (see `SignInAttempts`) so that neither parallel guesses
    /// nor an unknown email get an answer different from anyone else's.
    private static func authenticate(email: String, password: String, req: Request) async throws -> Account {
        let client = req.clientAddress
        let failures: Int
        switch try await SignInAttempts.begin(email: email, client: client, on: req.db) {
        case .locked(let until): throw SignInError.lockedOut(until: until)
        case .throttled(let until): throw SignInError.throttled(until: until)
        case .check(let counted): failures = counted
        }
        let account = try await Account.query(on: req.db).filter(\.$email == email).with(\.$person).first()
        let verified: Bool
        if let account, !account.person.isArchived {
            verified = try await req.password.async.verify(password, created: account.passwordHash).get()
        } else {
            // Spend the same time as a real check, so response times do not reveal which emails exist.
            if let decoy = req.application.storage[TimingDecoyKey.self] {
                _ = try? await req.password.async.verify(password, created: decoy).get()
            }
            verified = false
        }
        guard verified, let account else {
            if failures >= SignInAttempts.perEmailAndClient {
                throw SignInError.lockedOut(until: AppClock.now.addingTimeInterval(SignInAttempts.window))
            }
            throw SignInError.incorrect
        }
        try await SignInAttempts.succeeded(email: email, client: client, on: req.db)
        account.lastSignInAt = AppClock.now
        try await account.save(on: req.db)
        return account
    }

    /// Only a path on this site, so a crafted link cannot send someone to another site after
    /// signing in. Browsers drop tabs and line breaks from an address and read "\\" as "/", so
    /// "/<tab>/evil.example" is another site: anything but visible ASCII is refused, and so is a
    /// path whose second character could start an authority once decoded or cleaned.
    static func safeRedirect(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), next.utf8.count <= 2048,
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }),
            !next.dropFirst().hasPrefix("/"), !next.dropFirst().lowercased().hasPrefix("%"),
            let components = URLComponents(string: next), components.scheme == nil, components.host == nil
        else {
            return SiteURL.home.relativeURL()
        }
        return next
    }

    static func signInPage(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let singleSignOn = req.application.singleSignOn?.settings
        let model = SignIn.Model(
            form: state, demoSignIns: try await InstallationSetting.demoSignIns(on: req.db),
            singleSignOn: singleSignOn.map { SignIn.Provider(name: $0.providerName) },
            passwordSignIn: singleSignOn?.passwordSignIn ?? true
        )
        return SignIn.View(context: try await req.pageContext(), model: model).response(status: status)
    }

    /// The sign-in page again, saying why single sign-on did not sign anyone in.
    static func signInPage(_ req: Request, failure: SingleSignOnError, next: String?) async throws -> Response {
        let settings = req.application.singleSignOn?.settings
        let provider = settings?.providerName ?? "your identity provider"
        // The summary links to the provider's button, or to the email field where there is none.
        let state = FormState(
            values: ["next": next ?? ""],
            errors: [
                FieldError(field: settings == nil ? "email" : "sign-in", message: failure.message(provider: provider))
            ])
        return try await signInPage(req, state: state, status: failure.status)
    }

    @Sendable static func signOut(req: Request) async throws -> Response {
        if let viewer = req.viewer {
            try await AccountSession.query(on: req.db).filter(\.$id == viewer.sessionID).delete()
        }
        let response = req.redirect(to: SiteURL.signIn.relativeURL(), notice: "You have signed out.")
        response.cookies[AccountSession.cookieName] = .expired
        return response
    }

    @Sendable static func showChangePassword(req: Request) async throws -> Response {
        if let noPasswords = passwordsOff(req) { return noPasswords }
        return try await changePasswordPage(req, state: FormState())
    }

    /// Where only the identity provider signs people in, there is no OpenQI password to change.
    private static func passwordsOff(_ req: Request) -> Response? {
        guard let settings = req.application.singleSignOn?.settings, !settings.passwordSignIn else { return nil }
        return req.redirect(
            to: SiteURL.home.relativeURL(),
            notice: "You sign in through \(settings.providerName), so there is no OpenQI password to change.")
    }

    @Sendable static func changePassword(req: Request) async throws -> Response {
        if let noPasswords = passwordsOff(req) { return noPasswords }
        let viewer = try req.requireViewer()
        let input = try req.content.decode(ChangePasswordInput.self)
        return try await req.saveForm {
            try await req.db.transaction { db in
                guard let account = try await Account.find(viewer.accountID, on: db) else { throw Abort(.unauthorized) }
                var validator = Validator()
                let current = input.current_password ?? ""
                if current.isEmpty {
                    validator.fail("current_password", "Enter your current password.")
                } else if try await !req.password.async.verify(current, created: account.passwordHash).get() {
                    validator.fail("current_password", "Your current password is not right. Check it and try again.")
                }
                let new = input.new_password ?? ""
                PasswordRules.validate(
                    new: new, confirmation: input.confirm_password ?? "", email: account.email, into: &validator)
                if !current.isEmpty, new == current {
                    validator.fail("new_password", "Choose a new password that differs from the current one.")
                }
                try validator.check()
                let before = account.auditFields
                account.passwordHash = try await req.password.async.hash(new).get()
                account.mustChangePassword = false
                try await account.save(on: db)
                // Other browsers signed in with the old password are signed out.
                try await AccountSession.query(on: db)
                    .filter(\.$account.$id == viewer.accountID)
                    .filter(\.$id != viewer.sessionID)
                    .delete()
                try await account.recordAudit(.changePassword, by: viewer.actor, before: before, on: db)
            }
            return req.redirect(to: SiteURL.home.relativeURL(), notice: "Your password has been changed.")
        } redraw: { errors in
            try await changePasswordPage(req, state: FormState(errors: errors))
        }
    }

    private static func changePasswordPage(_ req: Request, state: FormState) async throws -> Response {
        let viewer = try req.requireViewer()
        let model = ChangePassword.Model(form: state, isFirstSignIn: viewer.mustChangePassword)
        return ChangePassword.View(context: try await req.pageContext(), model: model).response()
    }
}

import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Signing in and out")
struct SignInTests {
    @Test("a correct password signs in and the session reaches pages; signing out ends it")
    func signInAndOut() async throws {
        try await withOpenQI { app in
            let trust = try await Fixtures(app: app).unit("Trust", kind: .organisation)
            try await Fixtures(app: app).signIn("member@test.example", role: .member, at: trust)
            let browser = TestBrowser(app: app)

            let signIn = try await browser.signIn("member@test.example")
            #expect(signIn.status == .seeOther)
            #expect(signIn.location == "/")
            let session = try #require(browser.cookies[AccountSession.cookieName])
            #expect(
                try await AccountSession.query(on: app.db).filter(\.$tokenHash == AccountSession.hash(token: session))
                    .count() == 1)

            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("Welcome, Member"))

            let signOut = try await browser.post("/sign-out")
            #expect(signOut.location == "/sign-in")
            #expect(browser.cookies[AccountSession.cookieName] == nil)
            #expect(try await AccountSession.query(on: app.db).count() == 0)
            #expect(try await browser.get("/").location?.hasPrefix("/sign-in") == true)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Lax, and Secure when configured")
    func cookieAttributes() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let page = try await TestBrowser(app: app).signIn("admin@test.example")
            let cookie = try #require(page.headers[.setCookie].first { $0.hasPrefix(AccountSession.cookieName) })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))

            app.openQIConfiguration.secureCookies = true
            let secure = try await TestBrowser(app: app).signIn("admin@test.example")
            #expect(
                secure.headers[.setCookie].first { $0.hasPrefix(AccountSession.cookieName) }?.contains("Secure") == true
            )
        }
    }

    @Test("a wrong password is refused without saying whether the email exists")
    func wrongPassword() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let wrong = try await TestBrowser(app: app).signIn("admin@test.example", password: "not the password")
            let unknown = try await TestBrowser(app: app).signIn("nobody@test.example", password: "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains(SignInError.incorrect.message.htmlEscapedForTest))
            #expect(unknown.body.contains(SignInError.incorrect.message.htmlEscapedForTest))
            #expect(wrong.body.contains(#"value="admin@test.example""#), "the email typed is kept")
        }
    }

    @Test("five failures in a row lock the sign-in, even against the right password")
    func lockOut() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            for _ in 1..<PasswordRules.attemptsBeforeLockOut {
                #expect(try await browser.signIn("admin@test.example", password: "wrong").body.contains("not right"))
            }
            let locked = try await browser.signIn("admin@test.example", password: "wrong")
            #expect(locked.body.contains("locked"))
            let right = try await browser.signIn("admin@test.example")
            #expect(right.status == .unauthorized)
            #expect(right.body.contains("locked"))
        }
    }

    @Test("forty parallel guesses get four password checks at most; the lock then holds for the right password")
    func parallelGuesses() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await TestBrowser(app: app).signIn("admin@test.example", password: "wrong").body
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(answers.count == 40)
            let checkedAndWrong = answers.filter { $0.contains("not right") }.count
            #expect(
                checkedAndWrong <= PasswordRules.attemptsBeforeLockOut - 1, "\(checkedAndWrong) answered as checked")
            // The rest are refused unchecked: locked, or (when one of the first few reaches its address's
            // total only after thirty others were counted, as happens under load) throttled.
            let refused = answers.filter { $0.contains("locked") || $0.contains("Too many sign-ins have failed") }
            #expect(refused.count == 40 - checkedAndWrong)
            #expect(refused.count >= 40 - PasswordRules.attemptsBeforeLockOut + 1)
            let right = try await TestBrowser(app: app).signIn("admin@test.example")
            #expect(right.status == .unauthorized && right.body.contains("locked"))
        }
    }

    @Test(
        "a stranger's failures lock only their own address; unknown emails answer as known ones; one address trying many emails is stopped"
    )
    func lockOutPerClient() async throws {
        try await withOpenQI(clientAddressHeader: "X-Forwarded-For") { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let stranger = TestBrowser(app: app, headers: ["X-Forwarded-For": "203.0.113.9"])
            var strangerAnswers: [String] = []
            for _ in 1...PasswordRules.attemptsBeforeLockOut {
                strangerAnswers.append(try await stranger.signIn("admin@test.example", password: "wrong").body)
            }
            #expect(strangerAnswers.last?.contains("locked") == true)
            let owner = TestBrowser(app: app, headers: ["X-Forwarded-For": "198.51.100.7"])
            #expect(
                try await owner.signIn("admin@test.example").location == "/", "the owner's own address still signs in")

            // The same answers, in the same order, for an email no account has.
            let prober = TestBrowser(app: app, headers: ["X-Forwarded-For": "203.0.113.10"])
            var unknownAnswers: [String] = []
            for _ in 1...PasswordRules.attemptsBeforeLockOut {
                unknownAnswers.append(try await prober.signIn("nobody@test.example", password: "wrong").body)
            }
            #expect(
                unknownAnswers.map { $0.contains("locked") } == strangerAnswers.map { $0.contains("locked") },
                "an unknown email locks exactly as a known one")

            // Spraying one password over many emails from one address meets the address's limit.
            let sprayer = TestBrowser(app: app, headers: ["X-Forwarded-For": "192.0.2.55"])
            var statuses: [HTTPStatus] = []
            for index in 0..<(SignInAttempts.perClient + 2) {
                statuses.append(try await sprayer.signIn("person\(index)@test.example", password: "Winter2026").status)
            }
            #expect(statuses.last == .tooManyRequests)
            #expect(statuses.prefix(SignInAttempts.perClient).allSatisfy { $0 == .unauthorized })
        }
    }

    @Test("guesses at one account spread over many addresses lock it everywhere, the right password too")
    func lockOutPerAccount() async throws {
        try await withOpenQI(clientAddressHeader: "X-Forwarded-For") { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let perAddress = PasswordRules.attemptsBeforeLockOut
            let addresses = SignInAttempts.perEmail / perAddress + 1
            for address in 0..<addresses {
                let guesser = TestBrowser(app: app, headers: ["X-Forwarded-For": "203.0.113.\(address + 1)"])
                for _ in 0..<perAddress { _ = try await guesser.signIn("admin@test.example", password: "wrong") }
            }
            // From an address that never guessed, even the right password is refused for a while.
            let owner = TestBrowser(app: app, headers: ["X-Forwarded-For": "198.51.100.7"])
            let refused = try await owner.signIn("admin@test.example")
            #expect(refused.status == .unauthorized)
            #expect(refused.body.contains("locked"))
            #expect(owner.cookies[AccountSession.cookieName] == nil)
            // Another account is untouched by it.
            try await Fixtures(app: app).signIn("colleague@test.example", administrator: false)
            #expect(try await owner.signIn("colleague@test.example").location == "/")
        }
    }

    @Test("a one-time password must be changed before anything else, and the change is audited")
    func firstSignInChangesPassword() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("new@test.example", administrator: true, mustChangePassword: true)
            let browser = TestBrowser(app: app)
            #expect(try await browser.signIn("new@test.example").location == "/account/password")
            #expect(try await browser.get("/units").location == "/account/password")
            // The API is closed to it too, with a reason rather than a redirect.
            let api = try await browser.get("/api/v1/units")
            #expect(api.status == .forbidden && api.body.contains("one-time password"))
            let data = try await browser.json(
                .POST, "/api/v1/measures/data", encoding: ["points": [[String: String]]()])
            #expect(data.status == .forbidden && data.body.contains("one-time password"), "nor can it load data")

            let tooShort = try await browser.post(
                "/account/password",
                form: [
                    "current_password": Fixtures.password, "new_password": "short", "confirm_password": "short",
                ])
            #expect(tooShort.status == .unprocessableEntity)
            #expect(tooShort.body.contains("at least \(PasswordRules.minimumLength) characters"))

            let changed = try await browser.post(
                "/account/password",
                form: [
                    "current_password": Fixtures.password, "new_password": "a much better password",
                    "confirm_password": "a much better password",
                ])
            #expect(changed.location == "/")
            #expect(try await browser.get("/units").status == .ok)
            #expect(try await browser.get("/api/v1/units").status == .ok)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.changePassword.rawValue).count()
                    == 1)
            #expect(
                try await TestBrowser(app: app).signIn("new@test.example", password: "a much better password").location
                    == "/")
        }
    }

    @Test("after signing in, only local addresses are followed")
    func safeRedirect() {
        #expect(AccountController.safeRedirect("/units?q=ward") == "/units?q=ward")
        #expect(AccountController.safeRedirect("https://evil.example/") == "/")
        #expect(AccountController.safeRedirect("//evil.example/") == "/")
        #expect(AccountController.safeRedirect(nil) == "/")
        // Browsers drop tabs and line breaks from addresses and read "\\" as "/": each of these
        // would send the person to another site.
        for hostile in [
            "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example",
            "/ /evil.example", "/\u{0}/evil.example", "/%09/evil.example", "\t//evil.example", "/\u{2028}/evil.example",
        ] {
            #expect(AccountController.safeRedirect(hostile) == "/", "\(hostile.debugDescription)")
        }
        #expect(AccountController.safeRedirect("/projects/12?tab=data#measures") == "/projects/12?tab=data#measures")
    }
}

extension String {
    /// How Plot writes this text inside an element (it escapes <, > and &).
    var htmlEscapedForTest: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}

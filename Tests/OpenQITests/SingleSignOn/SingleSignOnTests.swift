import Crypto
import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Single sign-on through OpenID Connect", .serialized)
struct SingleSignOnTests {
    /// Where `/sign-in/oidc` sent the browser, read as the provider would.
    struct Authorisation {
        let endpoint: String
        let query: [String: String]
        var state: String { query["state"] ?? "" }
        var nonce: String { query["nonce"] ?? "" }
    }

    static func begin(_ browser: TestBrowser, next: String = "/projects") async throws -> Authorisation {
        let page = try await browser.get("/sign-in/oidc?next=\(next)")
        #expect(page.status == .seeOther)
        let location = try #require(page.location.flatMap(URLComponents.init(string:)))
        var query: [String: String] = [:]
        for item in location.queryItems ?? [] { query[item.name] = item.value }
        return Authorisation(
            endpoint: "\(location.scheme ?? "")://\(location.host ?? ""):\(location.port ?? 0)\(location.path)",
            query: query)
    }

    static func withProvider(
        passwordSignIn: Bool = true, _ body: (Application, TestIdentityProvider) async throws -> Void
    ) async throws {
        let provider = try await TestIdentityProvider.start()
        do {
            var settings = provider.settings
            settings.passwordSignIn = passwordSignIn
            try await withOpenQI(singleSignOn: settings) { app in try await body(app, provider) }
        } catch {
            await provider.stop()
            throw error
        }
        await provider.stop()
    }

    @Test(
        "a person the provider vouches for is signed in, by PKCE, to the page they asked for; signing out ends the session"
    )
    func signsIn() async throws {
        try await Self.withProvider { app, provider in
            let trust = try await Fixtures(app: app).unit("Trust", kind: .organisation)
            try await Fixtures(app: app).signIn(
                "ada.lovelace@test.example", role: .member, at: trust, mustChangePassword: true)
            let browser = TestBrowser(app: app)

            let sent = try await Self.begin(browser)
            #expect(sent.endpoint == provider.issuer + "/authorize")
            #expect(sent.query["response_type"] == "code")
            #expect(sent.query["client_id"] == provider.clientID)
            #expect(sent.query["redirect_uri"] == "http://127.0.0.1:8080/sign-in/oidc/callback")
            #expect(sent.query["code_challenge_method"] == "S256")
            #expect(sent.query["scope"]?.split(separator: " ").contains("openid") == true)
            #expect(sent.state.count >= 43 && sent.nonce.count >= 43 && sent.state != sent.nonce)
            #expect(browser.cookies[SingleSignOnAttempt.cookieName] == sent.state)

            // Addresses are matched as OpenQI stores them: case and spaces do not matter.
            provider.answer(with: provider.token(email: " Ada.Lovelace@TEST.example", nonce: sent.nonce))
            let back = try await browser.get("/sign-in/oidc/callback?code=the-code&state=\(sent.state)")
            #expect(back.status == .seeOther)
            // Vouched for by the provider: no detour to change a one-time password.
            #expect(back.location == "/projects")
            #expect(browser.cookies[AccountSession.cookieName] != nil)
            #expect(browser.cookies[SingleSignOnAttempt.cookieName] == nil)

            // PKCE: the verifier sent with the code is the one whose hash went to the provider.
            let verifier = try #require(provider.verifiersSeen.last)
            #expect(Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded == sent.query["code_challenge"])
            // The client authenticates with HTTP Basic, the discovery document's only method.
            let basic = "Basic " + Data("\(provider.clientID):\(provider.clientSecret)".utf8).base64EncodedString()
            #expect(provider.authorisations.last == basic)

            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("Welcome, Ada.Lovelace"))
            let account = try #require(
                try await Account.query(on: app.db).filter(\.$email == "ada.lovelace@test.example").first())
            #expect(account.lastSignInAt != nil)

            try await browser.post("/sign-out")
            #expect(try await browser.get("/").location?.hasPrefix("/sign-in") == true)
            #expect(try await AccountSession.query(on: app.db).count() == 0)

            // The state was used once: the same answer again signs nobody in.
            let replay = try await browser.get("/sign-in/oidc/callback?code=the-code&state=\(sent.state)")
            #expect(replay.status == .badRequest)
            #expect(replay.body.contains("already used"))
            #expect(browser.cookies[AccountSession.cookieName] == nil)
        }
    }

    @Test("a token OpenQI cannot trust signs nobody in, and the page says why")
    func untrustedTokens() async throws {
        try await Self.withProvider { app, provider in
            try await Fixtures(app: app).signIn("ada@test.example", administrator: true)
            struct Case {
                let name: String
                let token: (TestIdentityProvider, String) -> IDToken
                var strangerKey = false
                let says: String
            }
            let cases = [
                Case(
                    name: "another key", token: { $0.token(email: "ada@test.example", nonce: $1) }, strangerKey: true,
                    says: "signature does not match"),
                Case(
                    name: "another nonce", token: { p, _ in p.token(email: "ada@test.example", nonce: "replayed") },
                    says: "does not belong to this sign-in"),
                Case(
                    name: "no nonce", token: { p, _ in p.token(email: "ada@test.example", nonce: nil) },
                    says: "does not belong to this sign-in"),
                Case(
                    name: "another audience",
                    token: { $0.token(email: "ada@test.example", nonce: $1, audience: ["other-app"]) },
                    says: "issued to another application"),
                Case(
                    name: "expired",
                    token: {
                        $0.token(email: "ada@test.example", nonce: $1, issuedAt: AppClock.now.addingTimeInterval(-3600))
                    },
                    says: "has expired"),
                Case(
                    name: "another issuer",
                    token: { p, nonce in
                        var token = p.token(email: "ada@test.example", nonce: nonce)
                        token.issuer = "https://evil.example"
                        return token
                    }, says: "names another issuer"),
            ]
            for test in cases {
                let browser = TestBrowser(app: app)
                let sent = try await Self.begin(browser)
                provider.answer(with: test.token(provider, sent.nonce), strangerKey: test.strangerKey)
                let page = try await browser.get("/sign-in/oidc/callback?code=c&state=\(sent.state)")
                #expect(page.status == .badRequest, "\(test.name)")
                #expect(page.body.contains(test.says), "\(test.name)")
                #expect(browser.cookies[AccountSession.cookieName] == nil, "\(test.name)")
            }
            #expect(try await AccountSession.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "an answer for another browser, a cancelled sign-in, an unknown or archived person: nobody signed in, each told what to do"
    )
    func refusals() async throws {
        try await Self.withProvider { app, provider in
            let trust = try await Fixtures(app: app).unit("Trust", kind: .organisation)
            let leaver = try await Fixtures(app: app).signIn("leaver@test.example", role: .member, at: trust)
            leaver.archivedAt = AppClock.now
            try await leaver.save(on: app.db)

            // The state came back to a browser that did not start this sign-in (login forgery).
            let victim = TestBrowser(app: app)
            let attacker = TestBrowser(app: app)
            let started = try await Self.begin(attacker)
            _ = try await Self.begin(victim)
            provider.answer(with: provider.token(email: "leaver@test.example", nonce: started.nonce))
            let forged = try await victim.get("/sign-in/oidc/callback?code=c&state=\(started.state)")
            #expect(forged.status == .badRequest)
            #expect(forged.body.contains("started in another browser"))

            let cancelled = TestBrowser(app: app)
            let cancelledSent = try await Self.begin(cancelled)
            let refused = try await cancelled.get(
                "/sign-in/oidc/callback?error=access_denied&error_description=x&state=\(cancelledSent.state)")
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("Test Identity did not sign you in (the sign-in was cancelled or refused)"))

            for (email, status, says) in [
                (
                    "stranger@test.example", HTTPStatus.forbidden,
                    "Nobody in OpenQI has the email address stranger@test.example"
                ),
                ("leaver@test.example", .forbidden, "has been archived"),
            ] {
                let browser = TestBrowser(app: app)
                let sent = try await Self.begin(browser)
                provider.answer(with: provider.token(email: email, nonce: sent.nonce))
                let page = try await browser.get("/sign-in/oidc/callback?code=c&state=\(sent.state)")
                #expect(page.status == status, "\(email)")
                #expect(page.body.contains(says), "\(email)")
                #expect(browser.cookies[AccountSession.cookieName] == nil)
            }

            // An address the provider says it has not verified could be anyone's.
            let unverified = TestBrowser(app: app)
            let sent = try await Self.begin(unverified)
            var token = provider.token(email: "leaver@test.example", nonce: sent.nonce)
            token.booleans["email_verified"] = false
            provider.answer(with: token)
            let page = try await unverified.get("/sign-in/oidc/callback?code=c&state=\(sent.state)")
            #expect(page.body.contains("did not tell OpenQI your email address"))
            #expect(try await AccountSession.query(on: app.db).count() == 0)
        }
    }

    @Test(
        "the first sign-in links the provider's subject to the account; after that the subject decides, not the address"
    )
    func identityLink() async throws {
        try await Self.withProvider { app, provider in
            let trust = try await Fixtures(app: app).unit("Trust", kind: .organisation)
            try await Fixtures(app: app).signIn("ada@test.example", role: .member, at: trust, mustChangePassword: true)
            try await Fixtures(app: app).person("Grace Hopper", unit: trust, email: "grace@test.example")

            func signIn(_ token: (String) -> IDToken) async throws -> (TestBrowser, TestBrowser.Page) {
                let browser = TestBrowser(app: app)
                let sent = try await Self.begin(browser)
                provider.answer(with: token(sent.nonce))
                return (browser, try await browser.get("/sign-in/oidc/callback?code=c&state=\(sent.state)"))
            }

            let (_, first) = try await signIn { provider.token(email: "ada@test.example", nonce: $0, subject: "ada-1") }
            #expect(first.status == .seeOther)
            let link = try #require(try await SingleSignOnIdentity.query(on: app.db).first())
            #expect(link.subject == "ada-1" && link.issuer == provider.issuer)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "single sign-on link").count() == 1)
            // The one-time password an administrator sent is no longer a way in, nor asked to be changed.
            let account = try #require(
                try await Account.query(on: app.db).filter(\.$email == "ada@test.example").first())
            #expect(!account.mustChangePassword)
            #expect(try await TestBrowser(app: app).signIn("ada@test.example").status == .unauthorized)

            // The provider renames her address: the link still finds her.
            let (renamed, second) = try await signIn {
                provider.token(email: "ada.lovelace@test.example", nonce: $0, subject: "ada-1")
            }
            #expect(second.status == .seeOther)
            #expect(try await renamed.get("/").body.contains("Welcome, Ada"))

            // Her old address given to someone else at the provider is not a way into her account.
            let (_, reused) = try await signIn {
                provider.token(email: "ada@test.example", nonce: $0, subject: "newcomer-7")
            }
            #expect(reused.status == .forbidden)
            #expect(reused.body.contains("The OpenQI account ada@test.example already signs in as someone else"))

            // In OpenQI but never given a sign-in: told who can give one, not to be added again.
            let (_, noSignIn) = try await signIn { provider.token(email: "grace@test.example", nonce: $0) }
            #expect(noSignIn.status == .forbidden)
            #expect(
                noSignIn.body.contains("You are in OpenQI as grace@test.example, but have not been given a sign-in yet")
            )
        }
    }

    @Test("a rotated signing key is fetched once and accepted; a key of an unknown kind in the set is skipped")
    func keyRotation() async throws {
        try await Self.withProvider { app, provider in
            try await Fixtures(app: app).signIn("ada@test.example", administrator: true)
            let start = Date()
            for round in 0..<3 {
                // Two minutes on, past the minute within which keys are not fetched again.
                let now = start.addingTimeInterval(round == 0 ? 0 : 120)
                app.clock = .fixed(now)
                if round == 1 { provider.rotateKeys() }
                let browser = TestBrowser(app: app)
                let sent = try await Self.begin(browser)
                provider.answer(with: provider.token(email: "ada@test.example", nonce: sent.nonce, issuedAt: now))
                let page = try await browser.get("/sign-in/oidc/callback?code=c&state=\(sent.state)")
                #expect(page.status == .seeOther, "round \(round)")
            }
            // Once at first use, once more when the token named the new key; not for every sign-in.
            #expect(provider.keySetFetches == 2)
        }
    }

    @Test("the state cookie is HttpOnly, Lax and scoped to the callback, and is expired there; next stays on this site")
    func stateCookieAndNext() async throws {
        try await Self.withProvider { app, provider in
            try await Fixtures(app: app).signIn("ada@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            let started = try await browser.get("/sign-in/oidc?next=//evil.example/x")
            let cookie = try #require(
                started.headers[.setCookie].first { $0.hasPrefix(SingleSignOnAttempt.cookieName) })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/sign-in/oidc/callback"))
            let query = URLComponents(string: try #require(started.location))?.queryItems ?? []
            let state = try #require(query.first { $0.name == "state" }?.value)
            let nonce = try #require(query.first { $0.name == "nonce" }?.value)
            provider.answer(with: provider.token(email: "ada@test.example", nonce: nonce))
            let back = try await browser.get("/sign-in/oidc/callback?code=c&state=\(state)")
            #expect(back.location == "/", "another site is never where a sign-in leads")
            let expired = try #require(back.headers[.setCookie].first { $0.hasPrefix(SingleSignOnAttempt.cookieName) })
            #expect(expired.contains("Path=/sign-in/oidc/callback") && expired.contains("Max-Age=0"))
        }
    }

    @Test(
        "one network starting sign-ins in a loop is stopped, with a message; a discovery document naming another issuer is refused"
    )
    func abuseAndImpostors() async throws {
        try await Self.withProvider { app, provider in
            let browser = TestBrowser(app: app)
            for _ in 0..<SingleSignOnAttempt.openPerClient {
                #expect(try await browser.get("/sign-in/oidc").status == .seeOther)
            }
            let refused = try await browser.get("/sign-in/oidc")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.contains("Too many sign-ins were started from your network"))
            #expect(try await SingleSignOnAttempt.query(on: app.db).count() == SingleSignOnAttempt.openPerClient)
        }
        try await Self.withProvider { app, provider in
            provider.discoveryNames(issuer: "https://impostor.example")
            let page = try await TestBrowser(app: app).get("/sign-in/oidc")
            #expect(page.status == .badGateway)
            #expect(page.body.contains("could not reach Test Identity"))
            #expect(try await SingleSignOnAttempt.query(on: app.db).count() == 0)
        }
    }

    @Test("with passwords off, the sign-in page offers only the provider and a right password is refused")
    func passwordsOff() async throws {
        try await Self.withProvider(passwordSignIn: false) { app, provider in
            try await Fixtures(app: app).signIn("ada@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            let page = try await browser.get("/sign-in")
            #expect(page.body.contains("Sign in with Test Identity"))
            #expect(!page.body.contains(#"name="password""#))
            let refused = try await browser.signIn("ada@test.example")
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("signs people in through Test Identity only"))
            #expect(browser.cookies[AccountSession.cookieName] == nil)

            // Signed in through the provider, there is no password to change.
            let sent = try await Self.begin(browser)
            provider.answer(with: provider.token(email: "ada@test.example", nonce: sent.nonce))
            #expect(try await browser.get("/sign-in/oidc/callback?code=c&state=\(sent.state)").status == .seeOther)
            let change = try await browser.get("/account/password")
            #expect(change.status == .seeOther && change.location == "/")
            #expect(try await browser.get("/").body.contains("there is no OpenQI password to change"))
        }
    }

    @Test("with passwords off, an administrator allows single sign-on rather than issuing a password nobody can use")
    func allowWithPasswordsOff() async throws {
        try await Self.withProvider(passwordSignIn: false) { app, provider in
            let fixtures = Fixtures(app: app)
            let trust = try await fixtures.unit("Trust", kind: .organisation)
            try await fixtures.signIn("ada@test.example", administrator: true)
            let grace = try await fixtures.person("Grace Hopper", unit: trust, email: "grace@test.example")
            let path = "/people/\(try grace.requireID())"
            let admin = TestBrowser(app: app)
            let sent = try await Self.begin(admin)
            provider.answer(with: provider.token(email: "ada@test.example", nonce: sent.nonce))
            _ = try await admin.get("/sign-in/oidc/callback?code=c&state=\(sent.state)")

            let page = try await admin.get(path)
            #expect(page.body.contains(">Allow single sign-on</button>"))
            #expect(!page.body.contains("Issue a sign-in") && !page.body.contains("one-time password"))
            let allowed = try await admin.post(path + "/sign-in")
            #expect(allowed.status == .seeOther)
            let shown = try await admin.get(try #require(allowed.location))
            #expect(shown.body.contains("Grace Hopper can now sign in through Test Identity as grace@test.example."))
            #expect(!shown.body.contains("One-time password"), "no password to give")
            #expect(shown.body.contains("Signs in as grace@test.example; through Test Identity"))
            #expect(!shown.body.contains(">Allow single sign-on</button>"), "nothing more to allow")
            #expect(try await admin.post(path + "/sign-in").status == .badRequest)

            // And she can: the provider vouches for her address, and OpenQI knows it now.
            let browser = TestBrowser(app: app)
            let hers = try await Self.begin(browser)
            provider.answer(with: provider.token(email: "grace@test.example", nonce: hers.nonce))
            let back = try await browser.get("/sign-in/oidc/callback?code=c&state=\(hers.state)")
            #expect(back.status == .seeOther && back.location == "/projects")
        }
    }

    @Test("an installation without single sign-on says so at its addresses")
    func notSetUp() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let page = try await browser.get("/sign-in/oidc")
            #expect(page.status == .notFound)
            #expect(page.body.contains("Single sign-on is not set up"))
            #expect(!(try await browser.get("/sign-in")).body.contains("Sign in with"))
        }
    }

    @Test("the settings come from the environment, and a half-set or insecure one is refused with what to set")
    func settingsFromEnvironment() throws {
        #expect(try SingleSignOnSettings.fromEnvironment([:]) == nil)
        let full = [
            "OPENQI_OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0", "OPENQI_OIDC_CLIENT_ID": "id",
            "OPENQI_OIDC_CLIENT_SECRET": "secret", "OPENQI_PUBLIC_URL": "https://qi.trust.example/",
            "OPENQI_OIDC_EMAIL_CLAIM": "preferred_username", "OPENQI_PASSWORD_SIGN_IN": "off",
        ]
        let settings = try #require(try SingleSignOnSettings.fromEnvironment(full))
        #expect(settings.emailClaim == "preferred_username")
        #expect(!settings.passwordSignIn)
        #expect(settings.callbackURL == "https://qi.trust.example/sign-in/oidc/callback")

        func refusal(_ environment: [String: String]) -> String {
            do {
                _ = try SingleSignOnSettings.fromEnvironment(environment)
                return "accepted"
            } catch { return "\(error)" }
        }
        var half = full
        half["OPENQI_PUBLIC_URL"] = nil
        #expect(refusal(half).contains("needs OPENQI_PUBLIC_URL"))
        var plain = full
        plain["OPENQI_OIDC_ISSUER"] = "http://login.example.org"
        #expect(refusal(plain).contains("must start with https://"))
        var unclear = full
        unclear["OPENQI_PASSWORD_SIGN_IN"] = "maybe"
        #expect(refusal(unclear).contains("use on or off"))
        #expect(refusal(["OPENQI_PASSWORD_SIGN_IN": "off"]).contains("single sign-on is not"))
        var local = full
        local["OPENQI_OIDC_ISSUER"] = "http://127.0.0.1:9000/openid"
        #expect(refusal(local) == "accepted")
        var shared = full
        shared["OPENQI_OIDC_ISSUER"] = "https://login.microsoftonline.com/common/v2.0"
        #expect(refusal(shared).contains("use your tenant's"))
        var pathed = full
        pathed["OPENQI_PUBLIC_URL"] = "https://trust.example/qi"
        #expect(refusal(pathed).contains("without a path"))
    }

    @Test("a token with several audiences must name OpenQI as the party it was issued to")
    func authorizedParty() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var token = IDToken(
            issuer: "https://idp.example", audience: ["openqi", "other"], expires: now.addingTimeInterval(60),
            issuedAt: now, nonce: "n")
        #expect(throws: SingleSignOnError.self) {
            try token.check(issuer: "https://idp.example", clientID: "openqi", nonce: "n", now: now)
        }
        token.authorizedParty = "openqi"
        try token.check(issuer: "https://idp.example", clientID: "openqi", nonce: "n", now: now)
        // A clock a minute behind the provider's is no reason to refuse.
        try token.check(issuer: "https://idp.example", clientID: "openqi", nonce: "n", now: now.addingTimeInterval(-60))
    }
}

import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// `POST /api/v1/measures/data` with API tokens an administrator issues, on both databases.
@Suite("The measure data API and its tokens", .serialized)
struct MeasureDataAPITests {
    /// Issues a token for `unit` through the tokens page and returns its secret.
    static func issueToken(_ browser: TestBrowser, name: String, unit: Unit, days: String? = nil) async throws
        -> String
    {
        var form = ["name": name, "unit": unit.id!.uuidString]
        form["expires_in_days"] = days
        let page = try await browser.post("/api-tokens", form: form)
        #expect(page.status == .ok)
        #expect(page.headers.first(name: .cacheControl) == "no-store", "the secret is in no cache")
        let start = try #require(page.body.range(of: #"<code id="new-token">"#))
        let rest = page.body[start.upperBound...]
        return String(rest[..<rest.firstIndex(of: "<")!])
    }

    static func post(
        _ browser: TestBrowser, token: String?, json: String? = nil, csv: String? = nil
    ) async throws -> TestBrowser.Page {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        headers.replaceOrAdd(name: .contentType, value: csv == nil ? "application/json" : "text/csv")
        return try await browser.request(.POST, "/api/v1/measures/data", headers: headers, body: json ?? csv ?? "")
    }

    @Test("a directorate's token loads JSON and CSV batches for its measures, all or nothing")
    func tokenLoads() async throws {
        try await withOpenQI { app in
            let admin = TestBrowser(app: app)
            let world = try await DataUploadTests.world(app, TestBrowser(app: app))
            _ = try await admin.signIn("admin@test.example")
            let secret = try await Self.issueToken(admin, name: "Warehouse nightly", unit: world.directorate)
            #expect(secret.hasPrefix("oqi_") && secret.count > 40)
            let stored = try #require(try await APIToken.query(on: app.db).first())
            #expect(stored.tokenHash != secret && !stored.tokenHash.contains(secret), "only the hash is kept")
            #expect(stored.lastUsedAt == nil)

            let warehouse = TestBrowser(app: app)  // no session: only the token
            let json =
                #"{"points":[{"measure":"willow.falls","period":"2026-01-05","value":3},"#
                + #"{"measure":"Cedar.Harm-Free","period":"2026-01-05","value":45,"denominator":50,"note":"audit"}]}"#
            let loaded = try await Self.post(warehouse, token: secret, json: json)
            #expect(loaded.status == .ok)
            let outcome = try JSONDecoder().decode(MeasureDataAPIController.Outcome.self, from: Data(loaded.body.utf8))
            #expect(outcome == .init(points: 2, measures: 2, added: 2, changed: 0, unchanged: 0))
            #expect(try await APIToken.query(on: app.db).first()?.lastUsedAt != nil, "last use is recorded")
            let audit = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "measure_data").first())
            #expect(audit.actorName == "API token “Warehouse nightly”")

            let csv = "measure,period,value\nwillow.falls,2026-01-05,3\nwillow.falls,2026-01-12,5"
            let again = try await Self.post(warehouse, token: secret, csv: csv)
            #expect(again.status == .ok)
            #expect(again.body.contains(#""added":1"#) && again.body.contains(#""unchanged":1"#))
            #expect(try await app.storedDataPoints().count == 3)

            // A measure of another directorate is outside the token's units: the whole batch is refused.
            let outside =
                #"{"points":[{"measure":"willow.falls","period":"2026-01-19","value":3},"#
                + #"{"measure":"oak.falls","period":"2026-01-19","value":2}]}"#
            let refused = try await Self.post(warehouse, token: secret, json: outside)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.headers.contentType == Problem.contentType)
            let rejection = try JSONDecoder().decode(Problem.self, from: Data(refused.body.utf8))
            #expect(rejection.detail == "Nothing was imported: 1 row needs fixing.")
            #expect(rejection.errors?.map(\.row) == [2])
            #expect(rejection.errors?.first?.message.contains("no measure in Trust › Adult Mental Health") == true)
            #expect(try await app.storedDataPoints().count == 3)

            // A load the database stops part-way keeps nothing, and says so to the warehouse.
            try await Fixtures(app: app).refuseDataLoadAudits(true)
            let stopped = try await Self.post(
                warehouse, token: secret, csv: "measure,period,value\nwillow.falls,2026-02-02,7")
            #expect(stopped.status == .internalServerError)
            #expect(stopped.body.contains("Nothing was loaded: the database stopped the load part-way"))
            #expect(try await app.storedDataPoints().count == 3)
            try await Fixtures(app: app).refuseDataLoadAudits(false)
        }
    }

    @Test("no token, a wrong token or a revoked one is refused with 401 and loads nothing")
    func refusals() async throws {
        try await withOpenQI { app in
            let admin = TestBrowser(app: app)
            let world = try await DataUploadTests.world(app, TestBrowser(app: app))
            _ = try await admin.signIn("admin@test.example")
            let secret = try await Self.issueToken(admin, name: "Old feed", unit: world.trust)
            let json = #"{"points":[{"measure":"oak.falls","period":"2026-01-05","value":3}]}"#
            let warehouse = TestBrowser(app: app)
            #expect(try await Self.post(warehouse, token: nil, json: json).status == .unauthorized)
            let wrong = try await Self.post(warehouse, token: secret + "x", json: json)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("not valid or has been revoked"))
            #expect(try await Self.post(warehouse, token: secret, json: json).status == .ok)

            let token = try #require(try await APIToken.query(on: app.db).first())
            let list = try await admin.get("/api-tokens")
            #expect(list.body.contains("Old feed") && list.body.contains(token.hint + "…"))
            #expect(!list.body.contains(secret), "the secret is never shown again")
            _ = try await admin.post("/api-tokens/\(token.id!.uuidString)/revoke")
            #expect(try await Self.post(warehouse, token: secret, json: json).status == .unauthorized)
            #expect(try await admin.get("/api-tokens").body.contains("Revoked"))
        }
    }

    @Test("a token stops working when its issuer no longer administers its unit, or is archived")
    func issuerLosesRights() async throws {
        try await withOpenQI { app in
            let world = try await DataUploadTests.world(app, TestBrowser(app: app))
            let fixtures = Fixtures(app: app)
            let issuer = try await fixtures.signIn("ward.admin@test.example", role: .admin, at: world.directorate)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("ward.admin@test.example")
            let secret = try await Self.issueToken(browser, name: "Nightly", unit: world.directorate)
            let warehouse = TestBrowser(app: app)
            func load(_ day: Int) async throws -> TestBrowser.Page {
                try await Self.post(
                    warehouse, token: secret,
                    json: #"{"points":[{"measure":"willow.falls","period":"2026-01-0\#(day)","value":3}]}"#)
            }
            #expect(try await load(5).status == .ok)

            // The issuer's admin role is taken away: the token goes with it, and says why.
            let grant = try #require(
                try await RoleGrant.query(on: app.db).filter(\.$person.$id == issuer.requireID()).first())
            try await grant.delete(on: app.db)
            let refused = try await load(6)
            #expect(refused.status == .unauthorized)
            #expect(refused.body.contains("no longer administers its unit"))
            #expect(try await app.storedDataPoints().count == 1)
            // The tokens page says so, so that an administrator replaces it before the next load fails.
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            let stopped = "Stopped: Ward.Admin no longer administers this unit."
            #expect(try await admin.get("/api-tokens").body.contains(stopped))

            // Given back at the trust, above the unit, it works again; archiving the issuer stops it.
            try await RoleGrant(personID: issuer.requireID(), unitID: world.trust.requireID(), role: .admin)
                .create(on: app.db)
            #expect(try await load(6).status == .ok)
            #expect(try await !admin.get("/api-tokens").body.contains(stopped))
            issuer.archivedAt = AppClock.now
            try await issuer.save(on: app.db)
            #expect(try await load(7).status == .unauthorized)
            #expect(try await app.storedDataPoints().count == 2)
        }
    }

    @Test("a token works for the time chosen when it was issued, a year at most, and then is refused saying so")
    func expiry() async throws {
        try await withOpenQI { app in
            let world = try await DataUploadTests.world(app, TestBrowser(app: app))
            let admin = TestBrowser(app: app)
            _ = try await admin.signIn("admin@test.example")
            let bad = try await admin.post(
                "/api-tokens",
                form: ["name": "Forever", "unit": world.directorate.id!.uuidString, "expires_in_days": "99999"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("is not a valid choice for how long the token works"))
            #expect(bad.body.contains(#"value="Forever""#), "what was typed is kept")
            #expect(try await APIToken.query(on: app.db).count() == 0)

            let secret = try await Self.issueToken(admin, name: "Trial feed", unit: world.directorate, days: "30")
            let issued = try #require(try await APIToken.query(on: app.db).first())
            let days = issued.expiresAt.timeIntervalSince(try #require(issued.createdAt)) / 86_400
            #expect((29.99...30.01).contains(days))
            let json = #"{"points":[{"measure":"willow.falls","period":"2026-01-05","value":3}]}"#
            let warehouse = TestBrowser(app: app)
            #expect(try await Self.post(warehouse, token: secret, json: json).status == .ok)

            app.clock = .fixed(issued.expiresAt.addingTimeInterval(60))
            let refused = try await Self.post(warehouse, token: secret, json: json)
            #expect(refused.status == .unauthorized)
            #expect(refused.body.contains("This API token expired on"))
            _ = try await admin.signIn("admin@test.example")  // a month on, the session has lapsed too
            #expect(try await admin.get("/api-tokens").body.contains("Expired"))
        }
    }

    @Test("only administrators issue tokens, and only for units they administer")
    func whoIssues() async throws {
        try await withOpenQI { app in
            let analyst = TestBrowser(app: app)
            let world = try await DataUploadTests.world(app, analyst)
            #expect(try await analyst.get("/api-tokens").status == .forbidden)
            let fixtures = Fixtures(app: app)
            try await fixtures.signIn("lead@test.example", role: .admin, at: world.directorate)
            let lead = TestBrowser(app: app)
            _ = try await lead.signIn("lead@test.example")
            #expect(try await lead.get("/api-tokens").status == .ok)
            let elsewhere = try await lead.post(
                "/api-tokens", form: ["name": "Mine", "unit": world.elsewhere.id!.uuidString])
            #expect(elsewhere.status == .unprocessableEntity)
            #expect(elsewhere.body.contains("Choose a unit you administer."))
            #expect(try await lead.post("/api-tokens", form: ["name": "", "unit": ""]).body.contains("Enter a name"))
            #expect(try await APIToken.query(on: app.db).count() == 0)
        }
    }

    @Test("a signed-in QI analyst may post data with the session and its anti-forgery token")
    func session() async throws {
        try await withOpenQI { app in
            let analyst = TestBrowser(app: app)
            _ = try await DataUploadTests.world(app, analyst)
            let points = BulkDataImport.Point(measure: "willow.falls", period: "2026-02", value: 2)
            let page = try await analyst.json(.POST, "/api/v1/measures/data", encoding: ["points": [points]])
            #expect(page.status == .ok)
            #expect(try await app.storedDataPoints().count == 1)
            let outside = BulkDataImport.Point(measure: "oak.falls", period: "2026-02", value: 2)
            let refused = try await analyst.json(.POST, "/api/v1/measures/data", encoding: ["points": [outside]])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("no measure in the units you look after"))
        }
    }
}

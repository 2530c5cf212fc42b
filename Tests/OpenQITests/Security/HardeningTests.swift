import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

/// Defects found by probing the demo as an attacker would (issue 17): each test here failed
/// before its fix.
@Suite("Hardening against hostile input", .serialized)
struct HardeningTests {
    @Test("a page number near Int.max is refused with 422 on the people list and the API, and the server goes on")
    func hugePageNumbers() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            try await Fixtures(app: app).signIn("admin@test.example", role: .admin, at: world.trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            for page in ["\(Int.max)", "\(Int.max / 50 + 1)", "100001", "0", "-3"] {
                #expect(try await browser.get("/people?page=\(page)").status == .unprocessableEntity, "\(page)")
                #expect(try await browser.json(.GET, "/api/v1/people?page=\(page)").status == .unprocessableEntity)
            }
            #expect(try await browser.get("/people?page=100000").status == .ok)
            #expect(try await browser.get("/people").status == .ok)
        }
    }

    @Test("a search of 70,000 characters is refused with 422 on every list that searches, not a 500")
    func longSearches() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            try await Fixtures(app: app).signIn("admin@test.example", role: .admin, at: world.trust)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            let long = String(repeating: "a%_", count: 23_334)
            for path in ["/people", "/projects", "/units", "/api/v1/people", "/api/v1/units"] {
                #expect(try await browser.get("\(path)?q=\(long)").status == .unprocessableEntity, "\(path)")
                #expect(try await browser.get("\(path)?q=ward").status == .ok, "\(path)")
            }
        }
    }

    @Test("a search for %, _ or \\ finds only what contains it: they are not wildcards")
    func searchWildcards() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            let fixtures = Fixtures(app: app)
            let policy = try await fixtures.administratorPolicy()
            let lead = try await fixtures.person("Amy Parker", unit: world.willow, email: "amy_parker@test.example")
            try await fixtures.person("Ann Ward", unit: world.willow, email: "annward@test.example")
            for title in ["100% of patients reviewed", "1000 patients seen", "Backslash \\ in a title"] {
                try await fixtures.approvedProject(title, unit: world.willow, lead: lead, approvedAt: AppClock.now)
            }

            func projects(_ search: String) async throws -> [String] {
                try await ProjectIndex.Model.query(search: search, status: nil, unitID: nil, policy: policy, on: app.db)
                    .rows.map(\.title).sorted()
            }
            func people(_ search: String) async throws -> [String] {
                try await PersonIndex.Model.query(
                    search: search, kind: nil, unitID: nil, includeArchived: false, page: 1, policy: policy, on: app.db
                ).rows.map(\.name).sorted()
            }
            #expect(try await projects("100%") == ["100% of patients reviewed"])
            #expect(try await projects("%") == ["100% of patients reviewed"])
            #expect(try await projects("1_0") == [])
            #expect(try await projects("\\") == ["Backslash \\ in a title"])
            #expect(try await projects("PATIENTS").count == 2)
            #expect(try await people("_") == ["Amy Parker"])
            #expect(try await people("a_y") == [])
            #expect(try await people("%") == [])
            #expect(try await people("ann") == ["Ann Ward"])
        }
    }

    @Test("data values, denominators and targets a chart cannot draw are refused with the row and the reason")
    func hugeNumbers() throws {
        for value in ["1e19", "-1e16", "1e300"] {
            guard
                case .failure(let error) = DataImport.check(
                    period: "2026-01-05", value: value, denominator: "", note: "", line: 3, chart: .i)
            else {
                Issue.record("\(value) was accepted")
                continue
            }
            #expect(error.message.contains("larger than a chart can show"), "\(error.message)")
        }
        guard
            case .failure(let tiny) = DataImport.check(
                period: "2026-01-05", value: "1", denominator: "1e-320", note: "", line: 4, chart: .u)
        else {
            Issue.record("a denormal denominator was accepted")
            return
        }
        #expect(tiny.message.contains("too small"))
        guard
            case .success = DataImport.check(
                period: "2026-01-05", value: "999999999999", denominator: "", note: "", line: 5, chart: .i)
        else {
            Issue.record("a large but drawable value was refused")
            return
        }

        for (target, multiply) in [("1e20", "1"), ("inf", "1"), ("nan", "1"), ("5", "inf"), ("5", "1e300"), ("5", "0")]
        {
            let input = MeasureInput(
                name: "Falls", key: nil, kind: "outcome", definition: nil, unit_of_measure: nil, frequency: "monthly",
                chart_type: "i", rules: "mdc", direction: "decrease", target: target, multiply: multiply)
            #expect(throws: ValidationFailure.self, "target \(target), multiply \(multiply)") { try input.validate() }
        }
    }

    @Test("a bearer header does not excuse a form posted to a page from its anti-forgery token")
    func bearerOnPages() async throws {
        try await withOpenQI { app in
            let world = try await TestWorld.make(app)
            try await Fixtures(app: app).signIn("admin@test.example", role: .admin, at: world.trust)
            let browser = TestBrowser(app: app, headers: ["Authorization": "Bearer forged"])
            _ = try await browser.signIn("admin@test.example")
            let forged = try await browser.post(
                "/units/\(try world.willow.requireID())", form: ["name": "Renamed", "kind": "ward"], csrf: .some(nil))
            #expect(forged.status == .forbidden)
            #expect(try await Unit.find(world.willow.id, on: app.db)?.name == "Willow Ward")
        }
    }

    @Test("text a spreadsheet would run as a formula leaves OpenQI's CSV files as text")
    func csvFormulae() {
        #expect(
            CSVText.cell("=HYPERLINK(\"https://evil.example\",\"x\")")
                == "\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\"")
        for start in ["+", "-", "@", "\t", "\r"] {
            #expect(CSVText.cell(start + "SUM(A1)").hasPrefix("\"'"), "\(start.debugDescription)")
        }
        #expect(CSVText.cell("Night checks began") == "\"Night checks began\"")
    }

    @Test("error responses carry the security headers; over HTTPS every cookie is Secure and HSTS is sent")
    func headersOnErrors() async throws {
        try await withOpenQI(secureCookies: true) { app in
            let browser = TestBrowser(app: app)
            for path in ["/no-such-page", "/api/v1/no-such-thing", "/people"] {
                let page = try await browser.get(path)
                #expect(page.status != .ok)
                for header in [
                    "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                ] {
                    #expect(page.headers.first(name: header) != nil, "\(path) lacks \(header)")
                }
                #expect(page.headers.first(name: "Strict-Transport-Security") != nil, "\(path)")
            }
            let signIn = try await browser.get("/sign-in")
            let cookies = signIn.headers[.setCookie]
            #expect(!cookies.isEmpty)
            #expect(cookies.allSatisfy { $0.contains("Secure") }, "\(cookies)")
        }
        try await withOpenQI { app in
            let page = try await TestBrowser(app: app).get("/no-such-page")
            #expect(page.headers.first(name: "Strict-Transport-Security") == nil, "plain HTTP sends no HSTS")
            #expect(page.headers.first(name: "Content-Security-Policy") != nil)
        }
    }
}

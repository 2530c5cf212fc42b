import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Anti-forgery tokens")
struct CSRFTests {
    @Test("a form posted without the token, or with another session's token, changes nothing")
    func missingOrWrongToken() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            let form = ["name": "Forged Trust", "kind": "organisation"]

            let missing = try await browser.post("/units", form: form, csrf: .some(nil))
            #expect(missing.status == .forbidden)
            #expect(missing.body.contains("nothing was saved"))
            let wrong = try await browser.post("/units", form: form, csrf: "not-the-token")
            #expect(wrong.status == .forbidden)
            #expect(try await Unit.query(on: app.db).count() == 0)

            let genuine = try await browser.post("/units", form: form)
            #expect(genuine.status == .seeOther)
            #expect(try await Unit.query(on: app.db).count() == 1)
        }
    }

    @Test("the sign-in form is protected too, by a token in a cookie of its own")
    func signInForm() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            let page = try await browser.post(
                "/sign-in", form: ["email": "admin@test.example", "password": Fixtures.password], csrf: .some(nil))
            #expect(page.status == .forbidden)
            #expect(browser.cookies[AccountSession.cookieName] == nil)
        }
    }

    @Test("the API refuses a session's unsafe request without the X-CSRF-Token header")
    func apiHeader() async throws {
        try await withOpenQI { app in
            try await Fixtures(app: app).signIn("admin@test.example", administrator: true)
            let browser = TestBrowser(app: app)
            _ = try await browser.signIn("admin@test.example")
            let refused = try await browser.json(
                .POST, "/api/v1/units", ["name": "Trust", "kind": "organisation"], csrf: false)
            #expect(refused.status == .forbidden)
            #expect(refused.headers.contentType == Problem.contentType && refused.body.contains("\"detail\""))
            let accepted = try await browser.json(.POST, "/api/v1/units", ["name": "Trust", "kind": "organisation"])
            #expect(accepted.status == .created)
        }
    }
}

import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("First administrator")
struct AdministratorTests {
    @Test(
        "user create --admin makes an installation administrator with a one-time password, and again lets them back in")
    func createAndReissue() async throws {
        try await withOpenQI { app in
            let first = try await app.createAdministrator(email: " Ada@Test.Example ", name: "Ada Lovelace")
            let account = try #require(try await Account.query(on: app.db).with(\.$person).first())
            #expect(account.email == "ada@test.example")
            #expect(account.isAdministrator)
            #expect(account.mustChangePassword)
            #expect(account.person.fullName == "Ada Lovelace")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$actorName == Actor.commandLine.name).count() == 2)

            // Locked out: running it again issues a new password and lifts the lock.
            for _ in 0..<PasswordRules.attemptsBeforeLockOut {
                _ = try await TestBrowser(app: app).signIn("ada@test.example", password: "wrong")
            }
            #expect(try await TestBrowser(app: app).signIn("ada@test.example", password: first).body.contains("locked"))
            let second = try await app.createAdministrator(email: "ada@test.example", name: nil)
            #expect(second != first)
            #expect(try await Account.query(on: app.db).count() == 1)
            #expect(try await TestBrowser(app: app).signIn("ada@test.example", password: first).status == .unauthorized)
            #expect(
                try await TestBrowser(app: app).signIn("ada@test.example", password: second).location
                    == "/account/password")
        }
    }

    @Test("a malformed email is refused with the reason")
    func badEmail() async throws {
        try await withOpenQI { app in
            do {
                _ = try await app.createAdministrator(email: "not-an-email", name: nil)
                Issue.record("a malformed email should be refused")
            } catch let error as AdministratorError {
                #expect(error.description.contains("is not an email address"))
            }
            #expect(try await Account.query(on: app.db).count() == 0)
        }
    }
}

import Fluent
import Foundation
import Vapor

/// Errors from creating an administrator on the command line.
public struct AdministratorError: Error, CustomStringConvertible {
    public let description: String
}

extension Application {
    /// Creates (or lets back in) an installation administrator and returns a one-time password.
    /// On an existing sign-in the password is replaced and the lock lifted.
    public func createAdministrator(email: String, name: String?) async throws -> String {
        var validator = Validator()
        guard let email = validator.email(email, field: "email", required: true), validator.errors.isEmpty else {
            throw AdministratorError(
                description: "“\(email)” is not an email address. Give one like admin@example.org.")
        }
        let password = PasswordRules.makeOneTimePassword()
        let hash = try await self.password.async.hash(password).get()
        try await db.transaction { db in
            let personID: UUID
            if let account = try await Account.query(on: db).filter(\.$email == email).first() {
                personID = account.$person.id
            } else if let person = try await Person.query(on: db).filter(\.$email == email).first() {
                personID = try person.requireID()
            } else {
                let fallbackName = email.split(separator: "@").first.map(String.init)?.capitalized ?? "Administrator"
                let person = Person(
                    fullName: name ?? fallbackName, email: email, kind: .staff, unitID: nil,
                    jobTitle: "OpenQI administrator")
                try await person.create(on: db)
                try await person.recordAudit(.create, by: .commandLine, on: db)
                personID = try person.requireID()
            }
            try await Account.issue(
                to: personID, email: email, passwordHash: hash, isAdministrator: true, by: .commandLine, on: db)
        }
        return password
    }
}

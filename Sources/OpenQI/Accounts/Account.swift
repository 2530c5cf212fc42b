import Fluent
import Foundation

/// A sign-in: the email and password a person uses to reach OpenQI.
/// Most people on QI teams never need one; those who do have exactly one.
package final class Account: Model, @unchecked Sendable {
    package static let schema = "accounts"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "person_id") package var person: Person
    /// Stored lower-cased: sign-in is case-insensitive on the email.
    @Field(key: "email") package var email: String
    @Field(key: "password_hash") package var passwordHash: String
    /// An installation administrator: may do anything, including creating the organisation itself.
    @Field(key: "is_administrator") package var isAdministrator: Bool
    /// Set for one-time passwords issued by an administrator or the command line.
    @Field(key: "must_change_password") package var mustChangePassword: Bool
    @OptionalField(key: "last_sign_in_at") package var lastSignInAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package init(
        id: UUID? = nil, personID: UUID, email: String, passwordHash: String,
        isAdministrator: Bool = false, mustChangePassword: Bool
    ) {
        self.id = id
        self.$person.id = personID
        self.email = Account.normalise(email: email)
        self.passwordHash = passwordHash
        self.isAdministrator = isAdministrator
        self.mustChangePassword = mustChangePassword
    }

    static func normalise(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

extension Account: Auditable {
    var auditSubject: AuditSubject { .init(kind: "account", id: id, name: email, unitID: nil) }
    var auditFields: [String: String] {
        [
            "email": email,
            "administrator": isAdministrator ? "yes" : "no",
            "must_change_password": mustChangePassword ? "yes" : "no",
        ]
    }
}

struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("is_administrator", .bool, .required)
            .field("must_change_password", .bool, .required)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .datetime)
            .field("last_sign_in_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .unique(on: "person_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Account.schema).delete()
    }
}

/// Failed sign-ins are counted per email and client address (`SignInAttempts`), no longer on the
/// account: these two columns were left unread, and a reader of the schema would trust them.
struct DropLockColumnsFromAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema).deleteField("failed_sign_ins").update()
        try await database.schema(Account.schema).deleteField("locked_until").update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Account.schema).field("failed_sign_ins", .int, .required, .sql(.default(0))).update()
        try await database.schema(Account.schema).field("locked_until", .datetime).update()
    }
}

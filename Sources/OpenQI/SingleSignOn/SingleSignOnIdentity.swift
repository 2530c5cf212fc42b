import Fluent
import Foundation
import Vapor

/// Which account a person at the identity provider is: their provider's stable subject (`sub`),
/// linked to the account their email matched the first time they signed in. After that the link
/// decides, not the email, which a provider may change or give to someone else later.
final class SingleSignOnIdentity: Model, Auditable, @unchecked Sendable {
    static let schema = "single_sign_on_identities"

    @ID(key: .id) var id: UUID?
    @Field(key: "issuer") var issuer: String
    @Field(key: "subject") var subject: String
    @Parent(key: "account_id") var account: Account
    /// The address it was linked by, for the audit trail and the administrator.
    @Field(key: "email") var email: String
    @Field(key: "linked_at") var linkedAt: Date

    init() {}

    init(issuer: String, subject: String, accountID: UUID, email: String, linkedAt: Date) {
        self.issuer = issuer
        self.subject = subject
        self.$account.id = accountID
        self.email = email
        self.linkedAt = linkedAt
    }

    var auditSubject: AuditSubject { .init(kind: "single sign-on link", id: id, name: email, unitID: nil) }
    var auditFields: [String: String] { ["issuer": issuer, "subject": subject, "email": email] }
}

extension SingleSignOnIdentity {
    /// The account the provider vouches for: by the link if there is one; otherwise by the email
    /// claim, linking it. Refused, saying what to do, if nobody matches or the person is archived.
    /// A one-time OpenQI password the account still had is replaced by an unusable one: the
    /// provider, not a password sent by email, now proves who they are.
    static func signIn(
        _ token: IDToken, issuer: String, emailClaim: String, on db: any Database,
        unusablePassword: @Sendable () async throws -> String
    ) async throws -> Account {
        guard let subject = token.subject else { throw SingleSignOnError.tokenRefused("it names nobody (no “sub”)") }
        let account: Account
        if let link = try await query(on: db).filter(\.$issuer == issuer).filter(\.$subject == subject)
            .with(\.$account, { $0.with(\.$person) }).first()
        {
            account = link.account
        } else {
            account = try await matchByEmail(token, claim: emailClaim, on: db)
            guard !account.person.isArchived else { throw SingleSignOnError.archived }
            let accountID = try account.requireID()
            // One account, one person at the provider: a second subject with the same address is
            // someone else (a reused or reassigned address), not a second way in.
            if try await query(on: db).filter(\.$issuer == issuer).filter(\.$account.$id == accountID).count() > 0 {
                throw SingleSignOnError.linkedToSomeoneElse(email: account.email)
            }
            let actor = Actor(accountID: accountID, name: account.person.fullName)
            try await db.transaction { db in
                let link = SingleSignOnIdentity(
                    issuer: issuer, subject: subject, accountID: accountID, email: account.email, linkedAt: AppClock.now
                )
                try await link.create(on: db)
                try await link.recordAudit(.create, by: actor, on: db)
            }
        }
        guard !account.person.isArchived else { throw SingleSignOnError.archived }
        if account.mustChangePassword {
            let before = account.auditFields
            account.passwordHash = try await unusablePassword()
            account.mustChangePassword = false
            try await account.saveAudited(
                .update, by: Actor(accountID: account.id, name: account.person.fullName), before: before, on: db)
        }
        return account
    }

    /// The account whose email is the token's address.
    private static func matchByEmail(_ token: IDToken, claim: String, on db: any Database) async throws -> Account {
        guard let address = token.email(claim: claim) else { throw SingleSignOnError.noEmail(claim: claim) }
        let email = Account.normalise(email: address)
        guard let account = try await Account.query(on: db).filter(\.$email == email).with(\.$person).first() else {
            // A record without a sign-in is told who can give one, not to be added again.
            let person = try await Person.query(on: db).filter(\.$email == email).first()
            throw person == nil ? SingleSignOnError.noAccount(email: email) : .noSignIn(email: email)
        }
        return account
    }
}

struct CreateSingleSignOnIdentities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SingleSignOnIdentity.schema)
            .id()
            .field("issuer", .string, .required)
            .field("subject", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("linked_at", .datetime, .required)
            .unique(on: "issuer", "subject")
            .unique(on: "issuer", "account_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SingleSignOnIdentity.schema).delete()
    }
}

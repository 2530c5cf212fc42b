import Crypto
import Fluent
import Foundation
import Vapor

/// A signed-in browser. Kept in the database, so several OpenQI instances behind a load balancer
/// share sign-ins. The cookie holds a random token; only its SHA-256 is stored, so a copy of the
/// database cannot be used to impersonate anyone.
final class AccountSession: Model, @unchecked Sendable {
    static let schema = "account_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "account_id") var account: Account
    /// The anti-forgery token every form and unsafe API call of this session must carry.
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    /// Signed in through the identity provider rather than with a password.
    @Field(key: "through_provider") var throughProvider: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        tokenHash: String, accountID: UUID, csrfToken: String, now: Date, expiresAt: Date, throughProvider: Bool = false
    ) {
        self.tokenHash = tokenHash
        self.throughProvider = throughProvider
        self.$account.id = accountID
        self.csrfToken = csrfToken
        self.lastSeenAt = now
        self.expiresAt = expiresAt
    }

    static let cookieName = "openqi_session"

    static func hash(token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }

    /// Deletes the sessions past their expiry, which no cookie can use again.
    static func clearExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$expiresAt <= now).delete()
    }
}

struct CreateAccountSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountSession.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountSession.schema).delete()
    }
}

struct AddProviderFlagToAccountSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountSession.schema)
            .field("through_provider", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountSession.schema).deleteField("through_provider").update()
    }
}

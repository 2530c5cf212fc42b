import Crypto
import Fluent
import Foundation
import SQLKit

/// A sign-in sent to the identity provider and not yet back. Kept in the database, so the answer
/// may reach any OpenQI instance; the browser holds the `state` in a cookie, and only its SHA-256
/// is stored. The PKCE verifier and the nonce never leave the server.
final class SingleSignOnAttempt: Model, @unchecked Sendable {
    static let schema = "single_sign_on_attempts"
    /// Long enough to type a password and answer a second factor; short enough that a stolen
    /// cookie is soon useless.
    static let lifetime: TimeInterval = 10 * 60
    static let cookieName = "openqi_sign_in_state"
    /// Sign-ins one client address may have open at once: a ward's shared network needs a few;
    /// a loop filling the table needs many.
    static let openPerClient = 30

    @ID(key: .id) var id: UUID?
    @Field(key: "state_hash") var stateHash: String
    @Field(key: "nonce") var nonce: String
    @Field(key: "code_verifier") var codeVerifier: String
    /// Where to go once signed in (already checked to be a path on this site).
    @Field(key: "next") var next: String
    /// The SHA-256 of the client's address, to count open sign-ins per client.
    @Field(key: "client_hash") var clientHash: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(state: String, nonce: String, codeVerifier: String, next: String, client: String, now: Date) {
        self.stateHash = AccountSession.hash(token: state)
        self.clientHash = AccountSession.hash(token: client)
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.next = next
        self.expiresAt = now.addingTimeInterval(Self.lifetime)
    }

    /// The S256 code challenge for a verifier (RFC 7636 §4.2).
    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
    }

    /// Whether `client` may start another sign-in now.
    static func mayStart(client: String, on db: any Database, now: Date) async throws -> Bool {
        try await query(on: db).filter(\.$clientHash == AccountSession.hash(token: client)).filter(\.$expiresAt > now)
            .count()
            < openPerClient
    }

    /// Takes the attempt this state belongs to, once: one statement deletes it and returns it, so
    /// of two answers carrying the same state only one finds it.
    static func take(state: String, on db: any Database, now: Date) async throws -> SingleSignOnAttempt? {
        struct Taken: Decodable {
            let nonce: String
            let code_verifier: String
            let next: String
            let expires_at: Date
        }
        guard
            let taken = try await db.sql.delete(from: schema).where(
                "state_hash", .equal, AccountSession.hash(token: state)
            )
            .returning("nonce", "code_verifier", "next", "expires_at").first(decoding: Taken.self),
            taken.expires_at > now
        else { return nil }
        let attempt = SingleSignOnAttempt()
        attempt.nonce = taken.nonce
        attempt.codeVerifier = taken.code_verifier
        attempt.next = taken.next
        attempt.expiresAt = taken.expires_at
        return attempt
    }

    static func clearExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$expiresAt <= now).delete()
    }
}

struct CreateSingleSignOnAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SingleSignOnAttempt.schema)
            .id()
            .field("state_hash", .string, .required)
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("next", .string, .required)
            .field("client_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "state_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SingleSignOnAttempt.schema).delete()
    }
}

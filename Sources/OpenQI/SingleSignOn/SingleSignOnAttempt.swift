import Crypto
import Fluent
import Foundation

/// A sign-in sent to the identity provider and not yet back. Kept in the database, so the answer
/// may reach any OpenQI instance; the browser holds the `state` in a cookie, and only its SHA-256
/// is stored. The PKCE verifier and the nonce never leave the server.
final class SingleSignOnAttempt: Model, @unchecked Sendable {
    static let schema = "single_sign_on_attempts"
    /// Long enough to type a password and answer a second factor; short enough that a stolen
    /// cookie is soon useless.
    static let lifetime: TimeInterval = 10 * 60
    static let cookieName = "openqi_sign_in_state"

    @ID(key: .id) var id: UUID?
    @Field(key: "state_hash") var stateHash: String
    @Field(key: "nonce") var nonce: String
    @Field(key: "code_verifier") var codeVerifier: String
    /// Where to go once signed in (already checked to be a path on this site).
    @Field(key: "next") var next: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(state: String, nonce: String, codeVerifier: String, next: String, now: Date) {
        self.stateHash = Self.hash(state: state)
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.next = next
        self.expiresAt = now.addingTimeInterval(Self.lifetime)
    }

    static func hash(state: String) -> String {
        SHA256.hash(data: Data(state.utf8)).hex
    }

    /// The S256 code challenge for a verifier (RFC 7636 §4.2).
    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
    }

    /// Takes the attempt this state belongs to, once: it is deleted whether or not it has expired.
    static func take(state: String, on db: any Database, now: Date) async throws -> SingleSignOnAttempt? {
        guard let attempt = try await query(on: db).filter(\.$stateHash == hash(state: state)).first() else {
            return nil
        }
        try await attempt.delete(on: db)
        return attempt.expiresAt > now ? attempt : nil
    }

    static func clearExpired(on db: any Database, now: Date) async throws {
        try await query(on: db).filter(\.$expiresAt <= now).delete()
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5), as PKCE and JOSE write it.
    var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
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
            .field("expires_at", .datetime, .required)
            .unique(on: "state_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SingleSignOnAttempt.schema).delete()
    }
}

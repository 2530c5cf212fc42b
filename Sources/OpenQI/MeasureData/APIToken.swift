import Fluent
import Foundation
import SQLKit
import Vapor

/// A secret a data warehouse sends as `Authorization: Bearer …` to load measure data through the
/// API. An administrator issues it for a unit, and it writes only to the measures of that unit and
/// below. Only its SHA-256 is stored: the secret is shown once, when issued. Revoking keeps the
/// row, so the list still shows who issued it and when it was last used. Every token expires, a
/// year after issue at the most, so a forgotten secret does not work for ever.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    /// Every secret starts with this, so one pasted into the wrong place is recognisable.
    static let prefix = "oqi_"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the secret, to tell tokens apart in the list.
    @Field(key: "hint") var hint: String
    @Parent(key: "issued_by_id") var issuedBy: Person
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    /// How long a token works, chosen when it is issued.
    enum Lifetime: String, CaseIterable, FormChoice, Sendable {
        case month = "30"
        case quarter = "90"
        case halfYear = "180"
        case year = "365"

        var days: Int {
            switch self {
            case .month: 30
            case .quarter: 90
            case .halfYear: 180
            case .year: 365
            }
        }

        var label: String {
            switch self {
            case .month: "30 days"
            case .quarter: "90 days"
            case .halfYear: "6 months"
            case .year: "1 year"
            }
        }
    }

    /// A new token and its secret, which the caller shows once and never stores.
    static func issue(name: String, unitID: UUID, by personID: UUID, lifetime: Lifetime = .year)
        -> (token: APIToken, secret: String)
    {
        let secret = prefix + SecureToken.make()
        let token = APIToken()
        token.name = name
        token.expiresAt = AppClock.now.addingTimeInterval(TimeInterval(lifetime.days) * 86_400)
        token.$unit.id = unitID
        token.tokenHash = AccountSession.hash(token: secret)
        token.hint = String(secret.prefix(prefix.count + 4))
        token.$issuedBy.id = personID
        return (token, secret)
    }

    var isRevoked: Bool { revokedAt != nil }

    var isExpired: Bool { expiresAt <= AppClock.now }

    /// A token acts with its issuer's say over its unit, so it stops working when the issuer's
    /// record is archived, their sign-in is gone, or they no longer administer the unit.
    func issuerStillAdministers(in tree: UnitTree, on db: any Database) async throws -> Bool {
        try await Self.working([self], in: tree, on: db).contains(requireID())
    }

    /// The ids of those of `tokens` whose issuer still administers the token's unit (see
    /// `issuerStillAdministers`), in three queries whatever the number of tokens.
    static func working(_ tokens: [APIToken], in tree: UnitTree, on db: any Database) async throws -> Set<UUID> {
        let issuerIDs = Array(Set(tokens.map(\.$issuedBy.id)))
        guard !issuerIDs.isEmpty else { return [] }
        let issuers = try await Person.query(on: db).filter(\.$id ~~ issuerIDs).filter(\.$archivedAt == nil).all()
        let accounts = try await Account.query(on: db).filter(\.$person.$id ~~ issuerIDs).all()
        let grants = try await RoleGrant.query(on: db).filter(\.$person.$id ~~ issuerIDs).all()
        var rights: [UUID: PersonRights] = [:]
        for issuer in issuers {
            guard let id = issuer.id, let account = accounts.first(where: { $0.$person.id == id }) else { continue }
            rights[id] = PersonRights(
                personID: id, homeUnitID: issuer.$unit.id, isAdministrator: account.isAdministrator,
                grants: Set(grants.filter { $0.$person.id == id }.map(\.scope)))
        }
        return Set(
            tokens.compactMap { token in
                guard let id = token.id, rights[token.$issuedBy.id]?.administer(token.$unit.id, in: tree) == true
                else { return nil }
                return id
            })
    }

    var actor: Actor { Actor(accountID: nil, name: "API token “\(name)”") }
}

extension APIToken: Auditable {
    var auditSubject: AuditSubject { .init(kind: "api_token", id: id, name: name, unitID: $unit.id) }
    var auditFields: [String: String] {
        ["name": name, "unit_id": $unit.id.uuidString, "revoked": revokedAt == nil ? "no" : "yes"]
    }
}

/// Tokens issued before tokens expired get a year from the upgrade, so no warehouse load stops
/// the day OpenQI is upgraded.
struct AddExpiryToAPITokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema).field("expires_at", .datetime).update()
        try await database.sql.update(APIToken.schema)
            .set("expires_at", to: AppClock.now.addingTimeInterval(365 * 86_400)).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).deleteField("expires_at").update()
    }
}

struct CreateAPITokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("name", .string, .required)
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("hint", .string, .required)
            .field("issued_by_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}

/// Who is loading data through the API: a token, or a signed-in person. Either way, the units whose
/// measures (and the measures of projects in them) it may write to.
struct DataWriter: Sendable {
    let actor: Actor
    let units: Set<UUID>
    /// The scope in words, for "no measure in … has the key".
    let scope: String

    /// The bearer token if the request sends one (then only the token counts), else the session.
    static func resolve(_ req: Request) async throws -> DataWriter {
        if let bearer = req.headers.bearerAuthorization {
            guard
                let token = try await APIToken.query(on: req.db)
                    .filter(\.$tokenHash == AccountSession.hash(token: bearer.token)).first(),
                !token.isRevoked
            else {
                throw Abort(
                    .unauthorized,
                    reason: "This API token is not valid or has been revoked. Ask an administrator for a new one.")
            }
            guard !token.isExpired else {
                throw Abort(
                    .unauthorized,
                    reason: "This API token expired on \(CalendarDay(containing: token.expiresAt).label). "
                        + "Ask an administrator for a new one.")
            }
            let tree = try await UnitTree.load(on: req.db)
            guard try await token.issuerStillAdministers(in: tree, on: req.db) else {
                throw Abort(
                    .unauthorized,
                    reason: "Whoever issued this API token no longer administers its unit, so it no longer works. "
                        + "Ask a current administrator of the unit for a new one.")
            }
            token.lastUsedAt = AppClock.now
            try await token.save(on: req.db)
            return DataWriter(
                actor: token.actor, units: tree.subtree(of: token.$unit.id), scope: tree.path(of: token.$unit.id))
        }
        guard let viewer = req.viewer else {
            throw Abort(.unauthorized, reason: "Sign in, or send an API token, to use the API.")
        }
        guard !viewer.mustChangePassword else { throw RequireSignIn.oneTimePassword }
        let policy = try await req.policy()
        let units = Set(policy.tree.nodes.keys.filter { policy.allows(.manageUnitMeasures($0)) })
        return DataWriter(actor: policy.viewer.actor, units: units, scope: "the units you look after")
    }
}

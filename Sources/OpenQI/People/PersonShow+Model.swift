import Fluent
import Foundation
import Vapor

enum PersonShow {
    struct Grant: Sendable, Equatable {
        let id: UUID
        let role: Role
        let unitID: UUID
        let unitPath: String
        let canRevoke: Bool
    }

    struct SignInStatus: Sendable, Equatable {
        let email: String
        let lastSignInAt: Date?
        let lockedUntil: Date?
        let mustChangePassword: Bool
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var fullName: String
        var email: String?
        var kind: PersonKind
        var unitID: UUID?
        var unitPath: String?
        var jobTitle: String?
        var coachingCapacity: Int?
        var isArchived: Bool
        var signIn: SignInStatus?
        var grants: [Grant]
        var canEdit: Bool
        /// Units where the viewer may grant roles, for the grant form; empty hides the form.
        var grantableUnits: [FormField.Option]
        var canIssueSignIn: Bool
        var grantForm: FormState
        /// Shown once, right after an administrator issued a sign-in.
        var oneTimePassword: String?
    }
}

extension PersonShow.Model {
    static func query(id: UUID, policy: Policy, on db: any Database) async throws -> Self {
        guard let person = try await Person.find(id, on: db) else {
            throw NotFound("person")
        }
        let tree = policy.tree
        let account = try await Account.query(on: db).filter(\.$person.$id == id).first()
        let grants = try await RoleGrant.query(on: db).filter(\.$person.$id == id).all()
        let rights = try await PersonRights.load(for: person, account: account, grants: grants, on: db)
        var lockedUntil: Date? = nil
        if let account { lockedUntil = try await SignInAttempts.lockedUntil(email: account.email, on: db) }
        let grantable = tree.outline().filter { policy.allows(.grantRoles(at: $0.node.id)) }
        return .init(
            id: id, fullName: person.fullName, email: person.email, kind: person.kind, unitID: person.$unit.id,
            unitPath: person.$unit.id.map { tree.path(of: $0) }, jobTitle: person.jobTitle,
            coachingCapacity: person.coachingCapacity,
            isArchived: person.isArchived,
            signIn: account.map {
                .init(
                    email: $0.email, lastSignInAt: $0.lastSignInAt, lockedUntil: lockedUntil,
                    mustChangePassword: $0.mustChangePassword)
            },
            grants: grants.compactMap { grant in
                grant.id.map {
                    .init(
                        id: $0, role: grant.role, unitID: grant.$unit.id, unitPath: tree.path(of: grant.$unit.id),
                        canRevoke: policy.allows(.grantRoles(at: grant.$unit.id))
                    )
                }
            }.sorted { ($0.role, $0.unitPath) < ($1.role, $1.unitPath) },
            canEdit: policy.allows(.managePerson(rights)),
            grantableUnits: person.isArchived
                ? []
                : grantable.map { node, depth in
                    .init(value: node.id.uuidString, label: String(repeating: "— ", count: depth) + node.name)
                },
            canIssueSignIn: !person.isArchived && person.email != nil && policy.allows(.issueSignIn(rights)),
            grantForm: FormState(values: ["unit_id": person.$unit.id?.uuidString ?? ""]),
            oneTimePassword: nil
        )
    }

}

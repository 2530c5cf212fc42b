import Fluent
import Foundation
import Vapor

/// The signed-in person making a request, with what the policy needs to decide what they may do.
package struct Viewer: Sendable, Equatable {
    let accountID: UUID
    let personID: UUID
    let name: String
    let email: String
    let isAdministrator: Bool
    let mustChangePassword: Bool
    let sessionID: UUID
    let csrfToken: String
    let grants: Set<RoleGrant.Scope>

    package init(
        accountID: UUID, personID: UUID, name: String, email: String, isAdministrator: Bool,
        mustChangePassword: Bool, sessionID: UUID, csrfToken: String, grants: Set<RoleGrant.Scope>
    ) {
        self.accountID = accountID
        self.personID = personID
        self.name = name
        self.email = email
        self.isAdministrator = isAdministrator
        self.mustChangePassword = mustChangePassword
        self.sessionID = sessionID
        self.csrfToken = csrfToken
        self.grants = grants
    }

    var actor: Actor { Actor(accountID: accountID, name: name) }
}

extension Request {
    private struct ViewerKey: StorageKey { typealias Value = Viewer }
    private struct PolicyKey: StorageKey { typealias Value = Policy }

    /// The signed-in viewer, if any; set by `SessionMiddleware`.
    var viewer: Viewer? {
        get { storage[ViewerKey.self] }
        set {
            storage[ViewerKey.self] = newValue
            sessionCSRFToken = newValue?.csrfToken
        }
    }

    /// The signed-in viewer; routes behind `RequireSignIn` can rely on it.
    func requireViewer() throws -> Viewer {
        guard let viewer else { throw Abort(.unauthorized, reason: "Sign in to continue.") }
        return viewer
    }

    /// The authorisation policy for this request's viewer, built once per request.
    func policy() async throws -> Policy {
        if let policy = storage[PolicyKey.self] { return policy }
        let viewer = try requireViewer()
        let db = self.db
        let tree = try await cachedResults().value(UnitTree.Key()) { try await UnitTree.load(on: db) }
        let policy = Policy(viewer: viewer, tree: tree)
        storage[PolicyKey.self] = policy
        return policy
    }

    /// The policy, once it has granted `permission` (or thrown the refusal): how a handler starts
    /// when one permission covers it.
    func policy(granting permission: Permission) async throws -> Policy {
        let policy = try await policy()
        try policy.require(permission)
        return policy
    }
}

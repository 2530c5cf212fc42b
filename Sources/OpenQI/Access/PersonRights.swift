import Fluent
import Foundation

/// Everything a person's sign-in may do: their account's standing, their role grants and the
/// projects they may change as a team member, coach or sponsor. Acting on a person's record or
/// sign-in needs rights that cover all of it, so nobody takes over an account that may do more
/// than they may.
package struct PersonRights: Sendable, Equatable {
    package let personID: UUID
    /// The person's home unit: who manages their record.
    package let homeUnitID: UUID?
    package let isAdministrator: Bool
    package let grants: Set<RoleGrant.Scope>
    package let projects: [ProjectAccess]

    package init(
        personID: UUID, homeUnitID: UUID?, isAdministrator: Bool = false, grants: Set<RoleGrant.Scope> = [],
        projects: [ProjectAccess] = []
    ) {
        self.personID = personID
        self.homeUnitID = homeUnitID
        self.isAdministrator = isAdministrator
        self.grants = grants
        self.projects = projects
    }

    /// Reads the person's rights: four small queries, run only when someone acts on a person.
    package static func load(for person: Person, on db: any Database) async throws -> Self {
        let id = try person.requireID()
        return try await load(
            for: person, account: try await Account.query(on: db).filter(\.$person.$id == id).first(),
            grants: try await RoleGrant.query(on: db).filter(\.$person.$id == id).all(), on: db)
    }

    /// The person's rights from their account and role grants, already read by the caller.
    package static func load(for person: Person, account: Account?, grants: [RoleGrant], on db: any Database)
        async throws -> Self
    {
        let id = try person.requireID()
        let teamProjects = try await TeamMember.query(on: db).filter(\.$person.$id == id).all(\.$project.$id)
        let projects = try await Project.query(on: db)
            .group(.or) { either in
                either.filter(\.$id ~~ teamProjects).filter(\.$coach.$id == id).filter(\.$sponsor.$id == id)
            }
            .with(\.$team).all()
        return .init(
            personID: id, homeUnitID: person.$unit.id, isAdministrator: account?.isAdministrator ?? false,
            grants: Set(grants.map(\.scope)),
            projects: projects.map(\.access)
        )
    }
}

extension PersonRights {
    /// Whether these rights administer `unit`, as `Policy` grants `.manageUnit`: an installation
    /// administrator, or the admin role there or on a unit above it. An API token writes only
    /// while its issuer still does.
    package func administer(_ unit: UUID, in tree: UnitTree) -> Bool {
        isAdministrator || grants.roles(at: unit, in: tree).contains(.admin)
    }
}

extension Role {
    /// Whether holding this role gives everything `other` gives (see the table on `Policy`).
    package func includes(_ other: Role) -> Bool {
        let plain: Set<Role> = [.sponsor, .coach, .improvementAdvisor, .member, .viewer]
        switch self {
        case .admin: return true
        case .qiTeam: return [.qiTeam, .capabilityLead].contains(other) || plain.contains(other)
        case .forumChair, .capabilityLead, .executive: return other == self || plain.contains(other)
        case .sponsor, .coach, .improvementAdvisor, .member, .viewer: return plain.contains(other)
        }
    }
}

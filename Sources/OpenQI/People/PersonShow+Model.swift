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

    /// How to reach a person and how they sign in: shown only to those who may see it
    /// (`Permission.readContactDetails`).
    struct ContactDetails: Sendable, Equatable {
        var email: String?
        var signIn: SignInStatus?
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var fullName: String
        /// Nil when the viewer may not see them.
        var contact: ContactDetails?
        var kind: PersonKind
        var unitID: UUID?
        var unitPath: String?
        var jobTitle: String?
        var coachingCapacity: Int?
        var startedOn: CalendarDay? = nil
        var isArchived: Bool
        var grants: [Grant]
        var canEdit: Bool
        /// Units where the viewer may grant roles, for the grant form; empty hides the form.
        var grantableUnits: [FormField.Option]
        var canIssueSignIn: Bool
        var grantForm: FormState
        /// Shown once, right after an administrator issued a sign-in.
        var oneTimePassword: String?
        /// The projects they lead, are on, coach or sponsor.
        var projects: [PersonProject] = []
        /// Their courses, and the cohorts they facilitate.
        var learning = PersonLearning()
        /// The identity provider's name when the installation signs in only through it: a sign-in
        /// is then allowed, with no password to give.
        var singleSignOnOnly: String? = nil
        /// Who invited them onto a team, and when, while their record awaits approval.
        var invitation: Invitation? = nil
    }

    struct Invitation: Sendable, Equatable {
        let invitedBy: String
        let date: Date?
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
        var contact: PersonShow.ContactDetails?
        if policy.allows(.readContactDetails(personID: id, homeUnitID: person.$unit.id)) {
            var signIn: PersonShow.SignInStatus?
            if let account {
                signIn = .init(
                    email: account.email, lastSignInAt: account.lastSignInAt,
                    lockedUntil: try await SignInAttempts.lockedUntil(email: account.email, on: db),
                    mustChangePassword: account.mustChangePassword)
            }
            contact = .init(email: person.email, signIn: signIn)
        }
        let grantable = tree.outline().filter { policy.allows(.grantRoles(at: $0.node.id)) }
        return .init(
            id: id, fullName: person.fullName, contact: contact, kind: person.kind, unitID: person.$unit.id,
            unitPath: person.$unit.id.map { tree.path(of: $0) }, jobTitle: person.jobTitle,
            coachingCapacity: person.coachingCapacity,
            startedOn: person.startedOn.map(CalendarDay.init(containing:)),
            isArchived: person.isArchived,
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
            canIssueSignIn: !person.isArchived && !person.awaitsApproval && person.email != nil
                && policy.allows(.issueSignIn(rights)),
            grantForm: FormState(values: ["unit_id": person.$unit.id?.uuidString ?? ""]),
            oneTimePassword: nil,
            projects: try await PersonProjects.query(of: id, on: db),
            learning: try await PersonLearning.query(of: id, on: db),
            invitation: person.awaitsApproval
                ? .init(
                    invitedBy: try await person.$invitedBy.get(on: db)?.fullName ?? "A project lead",
                    date: person.createdAt)
                : nil
        )
    }

}

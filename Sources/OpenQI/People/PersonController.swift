import Fluent
import Foundation
import Vapor

/// The people pages: search, add, edit, archive and restore people; grant and revoke their QI roles;
/// issue them a sign-in.
enum PersonController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await PersonIndex.Model.query(
            search: try req.searchFilter(),
            kind: req.query[String.self, at: "kind"].flatMap(PersonKind.init(rawValue:)),
            unitID: req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)),
            includeArchived: req.query[String.self, at: "archived"] == "1",
            awaitingOnly: req.query[String.self, at: "awaiting"] == "yes",
            page: try req.pageFilter(),
            policy: policy, on: req.db
        )
        return PersonIndex.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await showPage(
            req,
            model: try await PersonShow.Model.query(id: try req.idParameter("personID"), policy: policy, on: req.db))
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let unitID = req.query[String.self, at: "unit_id"].flatMap(UUID.init(uuidString:))
        if let unitID {
            try policy.require(.managePeople(in: unitID))
        } else if !policy.mayAddPeopleSomewhere {
            throw forbidden
        }
        return try await formPage(
            req, person: nil,
            state: FormState(values: ["unit_id": unitID?.uuidString ?? "", "kind": PersonKind.staff.rawValue]))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let input = try req.content.decode(PersonInput.self)
        if let unit = input.namedUnit(in: policy.tree) { try policy.require(.managePeople(in: unit)) }
        return try await req.saveForm(typed: input.formState) {
            let draft = try await input.validate(in: policy.tree, on: req.db)
            try policy.require(.managePeople(in: draft.unitID))
            let person = try await Person.create(draft, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.people(.show(.value(try person.requireID()))).relativeURL(),
                notice: "\(person.fullName) was added.")
        } redraw: { state in
            try await formPage(req, person: nil, state: state)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        try policy.require(.managePerson(try await PersonRights.load(for: person, on: req.db)))
        return try await formPage(req, person: person, state: PersonInput(person).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        let id = try person.requireID()
        try policy.require(.managePerson(try await PersonRights.load(for: person, on: req.db)))
        let input = try req.content.decode(PersonInput.self)
        return try await req.saveEdit(input, of: person, called: "person’s record") { saved in
            ["unit_id": saved.$unit.id.map { policy.tree.path(of: $0) } ?? ""]
        } save: { version in
            let draft = try await input.validate(in: policy.tree, editing: id, on: req.db)
            try policy.require(.managePeople(in: draft.unitID))
            try await person.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.people(.show(.value(id))).relativeURL(),
                notice: "Your changes to \(person.fullName) were saved.")
        } redraw: { person, state in
            try await formPage(req, person: person, state: state)
        }
    }

    @Sendable static func archive(req: Request) async throws -> Response {
        try await setArchived(true, req: req)
    }

    @Sendable static func restore(req: Request) async throws -> Response {
        try await setArchived(false, req: req)
    }

    /// Approves the record of a service user or carer a project lead invited.
    @Sendable static func approve(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        try policy.require(.managePerson(try await PersonRights.load(for: person, on: req.db)))
        let url = SiteURL.people(.show(.value(try person.requireID()))).relativeURL()
        do {
            try await person.approve(by: policy.viewer.actor, on: req.db)
        } catch let failure as ValidationFailure {
            return req.redirect(to: url, notice: failure.reason)
        }
        return req.redirect(to: url, notice: "\(person.fullName)’s record is approved.")
    }

    private static func setArchived(_ archived: Bool, req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        try policy.require(.managePerson(try await PersonRights.load(for: person, on: req.db)))
        if archived, person.id == policy.viewer.personID {
            throw Abort(.badRequest, reason: "You cannot archive yourself. Ask another administrator.")
        }
        try await person.setArchived(archived, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: SiteURL.people(.show(.value(try person.requireID()))).relativeURL(),
            notice: "\(person.fullName) was \(archived ? "archived" : "restored")."
        )
    }

    struct GrantInput: Content {
        var role: String?
        var unit_id: String?
    }

    @Sendable static func grantRole(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        let personID = try person.requireID()
        let input = try req.content.decode(GrantInput.self)
        return try await req.saveForm(
            typed: FormState(values: ["role": input.role ?? "", "unit_id": input.unit_id ?? ""])
        ) {
            var validator = Validator()
            let role = validator.choice(input.role, field: "role", label: "a role", as: Role.self)
            let unitID = validator.identifier(input.unit_id, field: "unit_id", label: "unit", required: true)
            if person.awaitsApproval {
                validator.fail("role", "Approve \(person.fullName)’s record before granting roles.")
            }
            if person.isArchived {
                validator.fail("role", "\(person.fullName) is archived. Restore them before granting roles.")
            }
            try validator.check()
            guard let unitID, let role else {
                throw ValidationFailure(field: "role", message: "Choose a role and a unit.")
            }
            try policy.require(.grantRoles(at: unitID))
            guard policy.tree.nodes[unitID].map({ !$0.isArchived }) == true else {
                throw ValidationFailure(field: "unit_id", message: "Choose a unit that is in use.")
            }
            // An executive is on the board and visits teams across the organisation: a ward's
            // administrator could otherwise make anyone one.
            if role == .executive, policy.tree.nodes[unitID]?.kind != .organisation {
                throw ValidationFailure(
                    field: "unit_id",
                    message: "Grant the executive role at the organisation: an executive visits teams across it.")
            }
            let existing = try await RoleGrant.query(on: req.db)
                .filter(\.$person.$id == personID).filter(\.$unit.$id == unitID).filter(\.$role == role).first()
            if existing != nil {
                throw ValidationFailure(
                    field: "role",
                    message:
                        "\(person.fullName) is already \(role.label.lowercased()) for \(policy.tree.path(of: unitID))."
                )
            }
            try await req.db.transaction { db in
                let grant = RoleGrant(personID: personID, unitID: unitID, role: role)
                try await grant.create(on: db)
                try await grant.auditing(personName: person.fullName).recordAudit(
                    .grant, by: policy.viewer.actor, on: db)
            }
            return req.redirect(
                to: SiteURL.people(.show(.value(personID))).relativeURL(),
                notice: "\(person.fullName) is now \(role.label.lowercased()) for \(policy.tree.path(of: unitID))."
            )
        } redraw: { state in
            var model = try await PersonShow.Model.query(id: personID, policy: policy, on: req.db)
            model.grantForm = state
            return try await showPage(req, model: model)
        }
    }

    @Sendable static func revokeRole(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        let personID = try person.requireID()
        guard
            let grant = try await RoleGrant.query(on: req.db)
                .filter(\.$id == (try req.idParameter("grantID"))).filter(\.$person.$id == personID).first()
        else { throw Abort(.notFound, reason: "This role grant no longer exists; it may have been revoked already.") }
        try policy.require(.grantRoles(at: grant.$unit.id))
        try await req.db.transaction { db in
            try await grant.auditing(personName: person.fullName).recordAudit(
                .revoke, by: policy.viewer.actor, before: grant.auditing(personName: person.fullName).auditFields,
                on: db)
            try await grant.delete(on: db)
        }
        return req.redirect(
            to: SiteURL.people(.show(.value(personID))).relativeURL(),
            notice: "The \(grant.role.label.lowercased()) role was revoked.")
    }

    /// Creates a sign-in for the person, or replaces its password, and shows a one-time password once.
    @Sendable static func issueSignIn(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let person = try await find(req)
        let personID = try person.requireID()
        if personID == policy.viewer.personID {
            throw Abort(
                .forbidden,
                reason: "You cannot issue yourself a sign-in. Change your password from your own menu instead.")
        }
        guard policy.allows(.issueSignIn(try await PersonRights.load(for: person, on: req.db))) else {
            throw Abort(
                .forbidden,
                reason:
                    "Only an administrator of \(person.fullName)’s unit whose own roles cover all of theirs "
                    + "can issue their sign-in. Ask an administrator higher in the organisation.")
        }
        guard let email = person.email, !person.isArchived else {
            throw Abort(
                .badRequest,
                reason:
                    "Add an email address for \(person.fullName) (and restore them if archived) before issuing a sign-in."
            )
        }
        // An invited record is checked before it may sign in: until then it is a name on a team.
        guard !person.awaitsApproval else {
            throw Abort(.badRequest, reason: "Approve \(person.fullName)’s record before issuing a sign-in.")
        }
        let password = PasswordRules.makeOneTimePassword()
        let hash = try await req.password.async.hash(password).get()
        if let provider = singleSignOnOnly(req) {
            // The account lets the provider's sign-in find them; its password is never shown or used.
            guard try await Account.query(on: req.db).filter(\.$person.$id == personID).first() == nil else {
                throw Abort(
                    .badRequest,
                    reason: "\(person.fullName) already signs in through \(provider); there is no password to issue.")
            }
            try await Account.issue(to: personID, email: email, passwordHash: hash, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.people(.show(.value(personID))).relativeURL(),
                notice: "\(person.fullName) can now sign in through \(provider) as \(email).")
        }
        try await Account.issue(to: personID, email: email, passwordHash: hash, by: policy.viewer.actor, on: req.db)
        var model = try await PersonShow.Model.query(id: personID, policy: policy, on: req.db)
        model.oneTimePassword = password
        return try await showPage(req, model: model)
    }

    static func find(_ req: Request) async throws -> Person {
        guard let person = try await Person.find(try req.idParameter("personID"), on: req.db) else {
            throw NotFound("person")
        }
        return person
    }

    private static let forbidden = Abort(.forbidden, reason: "Only administrators and the QI team can add people.")

    private static func showPage(_ req: Request, model: PersonShow.Model) async throws
        -> Response
    {
        var model = model
        model.singleSignOnOnly = singleSignOnOnly(req)
        return PersonShow.View(context: try await req.pageContext(), model: model).response()
    }

    /// The identity provider's name when the installation signs in only through it.
    private static func singleSignOnOnly(_ req: Request) -> String? {
        req.application.singleSignOn.flatMap { $0.settings.passwordSignIn ? nil : $0.settings.providerName }
    }

    private static func formPage(_ req: Request, person: Person?, state: FormState)
        async throws -> Response
    {
        let policy = try await req.policy()
        let model = PersonForm.Model(
            personID: person?.id, personName: person?.fullName, form: state, unitOptions: policy.tree.parentOptions())
        return PersonForm.View(context: try await req.pageContext(), model: model).response()
    }
}

extension Account {
    /// Gives a person a sign-in with a one-time password: a new account, or a new password (and no lock)
    /// for an existing one, which also signs out its browsers.
    static func issue(
        to personID: UUID, email: String, passwordHash: String, isAdministrator: Bool = false,
        by actor: Actor, on db: any Database
    ) async throws {
        try await db.transaction { db in
            if let account = try await Account.query(on: db).filter(\.$person.$id == personID).first() {
                let before = account.auditFields
                account.passwordHash = passwordHash
                account.mustChangePassword = true
                account.isAdministrator = account.isAdministrator || isAdministrator
                try await account.save(on: db)
                try await AccountSession.query(on: db).filter(\.$account.$id == (try account.requireID())).delete()
                try await SignInAttempts.clear(email: account.email, on: db)
                try await account.recordAudit(.issueSignIn, by: actor, before: before, on: db)
            } else {
                let email = Account.normalise(email: email)
                if try await Account.query(on: db).filter(\.$email == email).first() != nil {
                    throw Abort(
                        .conflict,
                        reason: "Another sign-in already uses \(email). Give this person a different email address.")
                }
                let account = Account(
                    personID: personID, email: email, passwordHash: passwordHash,
                    isAdministrator: isAdministrator, mustChangePassword: true
                )
                try await account.create(on: db)
                try await account.recordAudit(.issueSignIn, by: actor, on: db)
            }
        }
    }
}

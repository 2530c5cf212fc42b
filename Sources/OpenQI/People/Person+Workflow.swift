import Fluent
import Foundation
import Vapor

extension Person {
    static func create(_ draft: PersonDraft, by actor: Actor, on db: any Database) async throws -> Person {
        let person = Person(
            fullName: draft.fullName, email: draft.email, kind: draft.kind, unitID: draft.unitID,
            jobTitle: draft.jobTitle)
        person.coachingCapacity = draft.coachingCapacity
        person.startedOn = draft.startedOn
        try await person.saveAudited(.create, by: actor, on: db)
        return person
    }

    /// Saves an edit that began from version `expected`; throws `EditConflict` when someone saved
    /// the record since.
    func update(with draft: PersonDraft, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = auditFields
        fullName = draft.fullName
        email = draft.email
        kind = draft.kind
        $unit.id = draft.unitID
        jobTitle = draft.jobTitle
        coachingCapacity = draft.coachingCapacity
        startedOn = draft.startedOn
        try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db)
    }

    /// Approves the record of a person a project lead invited; turning one down is archiving it.
    func approve(by actor: Actor, on db: any Database) async throws {
        guard awaitsApproval else {
            throw ValidationFailure(field: "approve", message: "\(fullName) is not awaiting approval.")
        }
        let before = auditFields
        approvedAt = AppClock.now
        try await saveAudited(.update, by: actor, before: before, on: db)
    }

    /// Archives or restores the person. An archived person can no longer sign in. Archiving a record
    /// still awaiting approval turns the invitation down: it also takes them off the teams they were
    /// invited to.
    func setArchived(_ archived: Bool, by actor: Actor, on db: any Database) async throws {
        let before = auditFields
        let declined = archived && awaitsApproval
        archivedAt = archived ? AppClock.now : nil
        let id = try requireID()
        let name = fullName
        try await saveAudited(archived ? .archive : .restore, by: actor, before: before, on: db) { db in
            guard archived else { return }
            if declined {
                for member in try await TeamMember.query(on: db).filter(\.$person.$id == id).with(\.$project).all() {
                    try await member.delete(on: db)
                    try await TeamMemberAudit(member: member, personName: name, project: member.project)
                        .recordAudit(.remove, by: actor, on: db)
                }
            }
            // An archived person can no longer sign in: end their sessions.
            let accounts = try await Account.query(on: db).filter(\.$person.$id == id).all().compactMap(\.id)
            try await AccountSession.query(on: db).filter(\.$account.$id ~~ accounts).delete()
        }
    }
}

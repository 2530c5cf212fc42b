import Fluent
import Foundation
import Vapor

extension Project {
    /// Saves a new proposal as a draft, with its proposer as the team lead, in one transaction.
    static func propose(_ draft: ProjectDraft, proposer: UUID, by actor: Actor, on db: any Database) async throws
        -> Project
    {
        let project = Project()
        project.status = .draft
        project.$proposer.id = proposer
        project.apply(draft)
        try await project.saveAudited(.create, by: actor, on: db) { db in
            let id = try project.requireID()
            try await project.replacePriorities(draft.priorityIDs, on: db)
            // A service user or carer who proposes a project leads it as a full partner.
            let kind = try await Person.find(proposer, on: db)?.kind
            let involvement: ServiceUserInvolvement = kind == .serviceUser || kind == .carer ? .fullPartner : .none
            try await TeamMember(
                projectID: id, personID: proposer, role: "Project lead", isLead: true, involvement: involvement
            ).create(on: db)
        }
        return project
    }

    /// Saves an edit of the proposal that began from version `expected`; throws `EditConflict`
    /// when someone saved the project since.
    func update(with draft: ProjectDraft, expecting expected: Int, by actor: Actor, on db: any Database) async throws {
        let before = auditFields
        let moved = $unit.id != draft.unitID
        apply(draft)
        try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db) { db in
            try await self.replacePriorities(draft.priorityIDs, on: db)
            // A project's measures belong to its unit, so the unit's measures summary, early
            // warning and data tokens find them; they move with it.
            if moved {
                try await Measure.query(on: db).filter(\.$project.$id == self.requireID())
                    .set(\.$unit.$id, to: draft.unitID).update()
            }
        }
    }

    /// Sends a draft (or a proposal sent back) to the unit's forum.
    func submit(by actor: Actor, on db: any Database) async throws {
        guard status.canBeSubmitted else {
            throw ValidationFailure(
                field: "status", message: "Only a draft can be submitted; this project is \(status.label.lowercased())."
            )
        }
        let before = auditFields
        status = .proposed
        submittedAt = AppClock.now
        try await saveStep(field: "status", before: before, by: actor, on: db)
    }

    /// Saves a step of the project's workflow (submitting, a decision, an update's score, closing)
    /// only if nobody changed the project after this request read it: two chairs deciding at once
    /// would otherwise both pass the checks made on what they read, and the second would win.
    func saveStep(
        field: String, before: [String: String], by actor: Actor, on db: any Database,
        alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in }
    ) async throws {
        do {
            try await saveAudited(.update, by: actor, before: before, expecting: version, on: db, alongside: alongside)
        } catch is EditConflict<Project> {
            throw ValidationFailure(
                field: field,
                message: "Someone changed “\(title)” while you had it open. Look at it again, then try once more.")
        }
    }

    private func apply(_ draft: ProjectDraft) {
        title = draft.title
        $unit.id = draft.unitID
        whatMatters = draft.whatMatters
        problem = draft.problem
        aimWhat = draft.aimWhat
        aimHowMuch = draft.aimHowMuch
        aimByWhen = draft.aimByWhen
        partnerOrganisations = draft.partnerOrganisations
        $programme.id = draft.programmeID
    }

    private func replacePriorities(_ ids: [UUID], on db: any Database) async throws {
        let id = try requireID()
        try await ProjectPriority.query(on: db).filter(\.$project.$id == id).delete()
        for priorityID in ids {
            let link = ProjectPriority()
            link.$project.id = id
            link.$priority.id = priorityID
            try await link.create(on: db)
        }
    }
}

extension Project {
    /// Records an update and moves the project's score (and stage, if given) to it.
    func post(_ update: ProgressUpdateInput.Valid, author: UUID, by actor: Actor, on db: any Database) async throws {
        let record = ProgressUpdate()
        record.$project.id = try requireID()
        record.date = update.date
        record.score = update.score.rawValue
        record.stage = update.stage
        record.did = update.did
        record.learned = update.learned
        record.nextSteps = update.nextSteps
        record.sponsorAsk = update.sponsorAsk
        record.$author.id = author
        let before = auditFields
        if lastUpdateAt == nil || update.date >= (lastUpdateAt ?? .distantPast) {
            progressScore = update.score.rawValue
            lastUpdateAt = update.date
            if let stage = update.stage { self.stage = stage }
        }
        try await saveStep(field: "did", before: before, by: actor, on: db) { db in try await record.create(on: db) }
    }
}

extension Project {
    func close(_ closure: ProjectClosureInput.Valid, by actor: Actor, on db: any Database) async throws {
        guard status.isOpen else {
            throw Abort(
                .badRequest, reason: "Only an active project can be closed; “\(title)” is \(status.label.lowercased())."
            )
        }
        // Cycles still planned or running end with the project, so none shows as running after it.
        let unfinished = try await PDSACycle.query(on: db).filter(\.$project.$id == requireID())
            .filter(\.$status != .complete).sort(\.$number).all()
        let before = auditFields
        status = closure.outcome == .completed ? .completed : .stopped
        aimAchieved = closure.aimAchieved
        learning = closure.learning
        sustainPlan = closure.sustainPlan
        closedAt = AppClock.now
        try await saveStep(field: "outcome", before: before, by: actor, on: db) { db in
            for cycle in unfinished { try await cycle.endWithProject(self, by: actor, on: db) }
        }
    }
}

extension Project {
    /// Adds a comment from someone who works on the project, with its audit entry.
    func comment(_ text: String?, author: UUID, by actor: Actor, on db: any Database) async throws {
        var validator = Validator()
        let text = validator.requiredText(text, field: "text", label: "your comment", maxLength: 4000)
        try validator.check()
        let comment = ProjectComment(projectID: try requireID(), authorID: author, text: text)
        try await db.transaction { db in
            try await comment.create(on: db)
            try await ProjectPartAudit(
                kind: "comment", id: comment.id, name: String(text.prefix(60)), project: self,
                auditFields: ["text": text]
            ).recordAudit(.create, by: actor, on: db)
        }
    }
}

extension Project {
    /// Adds `person` to the team (loaded with `withTeam`), with the audit entry, in one transaction.
    func addMember(
        _ person: Person, role: String, involvement: ServiceUserInvolvement, by actor: Actor, on db: any Database
    ) async throws {
        let personID = try person.requireID()
        if team.contains(where: { $0.$person.id == personID }) {
            throw ValidationFailure(field: "person_id", message: "\(person.fullName) is already on the team.")
        }
        // Involvement describes service users and carers; staff and partners take part as staff.
        let level = person.kind == .serviceUser || person.kind == .carer ? involvement : .none
        let member = TeamMember(
            projectID: try requireID(), personID: personID, role: role, isLead: false, involvement: level)
        try await db.transaction { db in
            try await member.create(on: db)
            try await TeamMemberAudit(member: member, personName: person.fullName, project: self)
                .recordAudit(.create, by: actor, on: db)
        }
    }

    /// Invites a service user or carer not yet on the People list: their record (at the project's
    /// unit, awaiting approval) and their place on the team, in one transaction. A person already
    /// known by the email address given is added from the People list instead.
    func invite(_ invitation: TeamInvitationInput.Valid, invitedBy: UUID, by actor: Actor, on db: any Database)
        async throws -> Person
    {
        if let email = invitation.email,
            let known = try await Person.query(on: db).filter(\.$email == email).first()
        {
            throw ValidationFailure(
                field: "email",
                message:
                    "\(known.fullName) already has this email address. Add them with “Add someone to the team” instead."
            )
        }
        let person = Person(
            fullName: invitation.fullName, email: invitation.email, kind: invitation.kind, unitID: $unit.id)
        person.$invitedBy.id = invitedBy
        try await db.transaction { db in
            try await person.saveAudited(.create, by: actor, on: db)
            try await self.addMember(
                person, role: invitation.role, involvement: invitation.involvement, by: actor, on: db)
        }
        return person
    }

    /// Takes `member` off the team, with the audit entry; returns their name. The lead stays.
    func removeMember(_ member: TeamMember, by actor: Actor, on db: any Database) async throws -> String {
        guard !member.isLead else {
            throw Abort(.badRequest, reason: "The project lead cannot be removed. Make someone else lead first.")
        }
        try await member.$person.load(on: db)
        let name = member.person.fullName
        try await db.transaction { db in
            let audit = TeamMemberAudit(member: member, personName: name, project: self)
            try await audit.recordAudit(.remove, by: actor, before: audit.auditFields, on: db)
            try await member.delete(on: db)
        }
        return name
    }
}

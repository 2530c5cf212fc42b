import Fluent
import Foundation

extension Programme {
    /// Starts a programme at its first stage, audited, in one transaction.
    static func create(_ draft: ProgrammeDraft, by actor: Actor, on db: any Database) async throws -> Programme {
        let programme = Programme(name: draft.name, unitID: draft.unitID)
        programme.apply(draft)
        try await nameTaken(draft.name, by: "programme") {
            try await programme.saveAudited(.create, by: actor, on: db) { db in
                try await programme.link(draft.measureIDs, by: actor, on: db)
            }
        }
        return programme
    }

    /// Changes what the programme is and counts; throws `EditConflict` when someone saved it since
    /// `expected`. A standard measure added here is given to every team already in it.
    func update(with draft: ProgrammeDraft, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = auditFields
        apply(draft)
        try await nameTaken(draft.name, by: "programme") {
            try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db) { db in
                try await self.link(draft.measureIDs, by: actor, on: db)
            }
        }
    }

    private func apply(_ draft: ProgrammeDraft) {
        name = draft.name
        summary = draft.summary
        aim = draft.aim
        $unit.id = draft.unitID
        $priority.id = draft.priorityID
    }

    /// Makes `standardIDs` the measures every team counts, and gives each team those added here, in
    /// the caller's transaction (a team that archived one of the others keeps it archived).
    private func link(_ standardIDs: [UUID], by actor: Actor, on db: any Database) async throws {
        let id = try requireID()
        let before = Set(
            try await ProgrammeMeasure.query(on: db).filter(\.$programme.$id == id).all().map(\.$standard.id))
        try await ProgrammeMeasure.query(on: db).filter(\.$programme.$id == id).delete()
        for standardID in standardIDs {
            let link = ProgrammeMeasure()
            link.$programme.id = id
            link.$standard.id = standardID
            try await link.create(on: db)
        }
        $measures.value = try await StandardMeasure.query(on: db).filter(\.$id ~~ standardIDs).all()
        let added = measures.filter { $0.id.map { !before.contains($0) } ?? false }
        guard !added.isEmpty else { return }
        let teams = try await Project.query(on: db).filter(\.$programme.$id == id).filter(\.$status == .active).all()
        for team in teams { try await Programme.equip(team, with: added, by: actor, on: db) }
    }

    // MARK: People

    /// Adds a person in a role. An improvement advisor must hold that role in the programme's part
    /// of the organisation; nobody holds the same role twice.
    func add(_ person: Person, as role: ProgrammeRole, tree: UnitTree, by actor: Actor, on db: any Database)
        async throws
    {
        guard !person.isArchived else {
            throw ValidationFailure(
                field: "person_id", message: "\(person.fullName) is archived. Choose someone whose record is in use.")
        }
        let personID = try person.requireID()
        if try await ProgrammeMember.query(on: db).filter(\.$programme.$id == requireID())
            .filter(\.$person.$id == personID).filter(\.$role == role).count() > 0
        {
            throw ValidationFailure(
                field: "role", message: "\(person.fullName) is already \(role.label.lowercased()) of “\(name)”.")
        }
        if role == .improvementAdvisor {
            let reach = Array(Set(tree.selfAndAncestors(of: $unit.id)).union(tree.subtree(of: $unit.id)))
            let holds =
                try await RoleGrant.query(on: db).filter(\.$person.$id == personID)
                .filter(\.$role == .improvementAdvisor).filter(\.$unit.$id ~~ reach).count() > 0
            guard holds else {
                throw ValidationFailure(
                    field: "role",
                    message:
                        "\(person.fullName) is not an improvement advisor in \(tree.path(of: $unit.id)). Grant them the role on their People page first, or choose another role."
                )
            }
        }
        let member = ProgrammeMember(programmeID: try requireID(), personID: personID, role: role)
        do {
            try await db.transaction { db in
                try await member.create(on: db)
                try await ProgrammeMemberAudit(member: member, personName: person.fullName, programme: self)
                    .recordAudit(.create, by: actor, on: db)
            }
        } catch let clash as any DatabaseError where clash.isConstraintFailure {
            // The same person added in the same role twice at one moment: the other was kept.
            throw ValidationFailure(
                field: "role", message: "\(person.fullName) is already \(role.label.lowercased()) of “\(name)”.")
        }
    }

    /// Takes a person out of one of their roles.
    func remove(_ member: ProgrammeMember, by actor: Actor, on db: any Database) async throws -> String {
        let person = try await member.$person.get(on: db)
        try await db.transaction { db in
            try await member.delete(on: db)
            try await ProgrammeMemberAudit(member: member, personName: person.fullName, programme: self)
                .recordAudit(.remove, by: actor, on: db)
        }
        return person.fullName
    }

    // MARK: Stages

    /// Moves the programme one stage on or back, as decided on `decision.decidedOn`; throws
    /// `EditConflict` when someone changed it since the page showed `expected`. Entering "deliver"
    /// needs what every team will work to; a refusal names each thing missing and changes nothing.
    func move(
        _ decision: ProgrammeStageInput.Valid, decidedBy personID: UUID, expecting expected: Int, by actor: Actor,
        on db: any Database
    ) async throws {
        let target = decision.stage
        guard target == stage.next || target == stage.previous else {
            let allowed = [stage.next, stage.previous].compactMap { $0?.label }.joined(separator: " or ")
            throw ValidationFailure(
                field: "stage",
                message: target == stage
                    ? "“\(name)” is already at \(stage.label.lowercased()). Choose \(allowed)."
                    : "A programme moves one stage at a time: from \(stage.label.lowercased()) it can move to \(allowed.lowercased())."
            )
        }
        let before = auditFields
        let change = ProgrammeStageChange()
        change.$programme.id = try requireID()
        change.from = stage
        change.to = target
        change.decidedOn = decision.decidedOn
        change.note = decision.note
        change.$decidedBy.id = personID
        stage = target
        do {
            try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db) { db in
                // Checked in the decision's transaction, so what it finds is what the decision is made on.
                if target == .deliver {
                    let missing = try await self.missingToDeliver(on: db)
                    if !missing.isEmpty { throw ValidationFailure(missing) }
                }
                try await change.create(on: db)
            }
        } catch {
            stage = change.from
            throw error
        }
    }

    /// What the programme lacks before its teams can deliver, each as what to do about it: an aim,
    /// a driver diagram with change ideas, a standard measure for every team to count, and an
    /// executive sponsor. Each is said of the
    /// stage decision it stands in the way of.
    func missingToDeliver(on db: any Database) async throws -> [FieldError] {
        let id = try requireID()
        var missing: [FieldError] = []
        if (aim ?? "").isEmpty {
            missing.append(
                FieldError(
                    field: "stage",
                    message: "It has no aim. Edit the programme to say what it will achieve, how much, by when."))
        }
        let drivers = try await Driver.query(on: db).filter(\.$programme.$id == id).count()
        let ideas = try await ChangeIdea.query(on: db).filter(\.$programme.$id == id).count()
        if drivers == 0 || ideas == 0 {
            missing.append(
                FieldError(
                    field: "stage",
                    message:
                        "It has no driver diagram. Draw one: at least one driver and one change idea for the teams to adapt."
                ))
        }
        if try await ProgrammeMeasure.query(on: db).filter(\.$programme.$id == id).count() == 0 {
            missing.append(
                FieldError(
                    field: "stage",
                    message:
                        "It has no standard measure. Edit the programme to choose at least one that every team counts."
                ))
        }
        if try await ProgrammeMember.query(on: db).filter(\.$programme.$id == id)
            .filter(\.$role == .executiveSponsor).count() == 0
        {
            missing.append(
                FieldError(
                    field: "stage",
                    message:
                        "It has no executive sponsor. Add one under People: a director who answers for it to the board."
                ))
        }
        return missing
    }

    // MARK: Teams

    /// Gives a team the programme's standard measures it has not been given yet, each made from the
    /// standard with an identical definition, in the caller's transaction. One the team archived
    /// counts as given: it is not made again behind the team's back.
    static func equip(_ team: Project, with standards: [StandardMeasure], by actor: Actor, on db: any Database)
        async throws
    {
        let teamID = try team.requireID()
        let counted = Set<UUID?>(
            try await Measure.query(on: db).filter(\.$project.$id == teamID).all().compactMap(\.$standard.id))
        for standard in standards where !standard.isArchived && !counted.contains(standard.id) {
            let measure = Measure.made(from: standard, for: team)
            try await measure.saveAudited(.create, by: actor, on: db) { db in try await measure.refreshSummary(on: db) }
        }
    }

    /// Gives a team that joined the programme its standard measures, in the caller's transaction.
    static func equip(_ team: Project, by actor: Actor, on db: any Database) async throws {
        guard let programmeID = team.$programme.id,
            let programme = try await Programme.query(on: db).filter(\.$id == programmeID).with(\.$measures).first()
        else { return }
        try await equip(team, with: programme.measures, by: actor, on: db)
    }
}

// MARK: Learning sessions

extension Programme {
    /// Plans a learning session, audited, in one transaction.
    func planSession(_ details: LearningSessionInput.Valid, by actor: Actor, on db: any Database) async throws
        -> LearningSession
    {
        let session = LearningSession(
            programmeID: try requireID(), heldOn: details.heldOn, place: details.place, agenda: details.agenda)
        try await db.transaction { db in
            try await session.create(on: db)
            try await LearningSessionAudit(session: session, programme: self).recordAudit(.create, by: actor, on: db)
        }
        return session
    }
}

extension LearningSession {
    /// Changes its day, place or agenda; throws `EditConflict` when someone changed the session
    /// since `expected`.
    func update(
        _ details: LearningSessionInput.Valid, expecting expected: Int, programme: Programme, by actor: Actor,
        on db: any Database
    ) async throws {
        let before = LearningSessionAudit(session: self, programme: programme).auditFields
        try await db.transaction { db in
            try await self.claimNextVersion(after: expected, on: db)
            self.heldOn = details.heldOn
            self.place = details.place
            self.agenda = details.agenda
            try await self.save(on: db)
            try await LearningSessionAudit(session: self, programme: programme)
                .recordAudit(.update, by: actor, before: before, on: db)
        }
    }

    /// Replaces what the register form showed (who came from each team listed, of its members
    /// listed, and those teams' plans for the action period), keeping what it did not show: a
    /// team that has since left, a member who has since moved on. Throws `EditConflict` when
    /// someone changed the session since `expected`.
    func record(
        _ register: LearningSessionRegisterInput.Valid, shown: [UUID: Set<UUID>], expecting expected: Int,
        programme: Programme, by actor: Actor, on db: any Database
    ) async throws {
        let id = try requireID()
        let before = try await Self.summary(of: id, on: db)
        try await db.transaction { db in
            try await self.claimNextVersion(after: expected, on: db)
            for (team, people) in shown {
                try await LearningSessionAttendance.query(on: db).filter(\.$session.$id == id)
                    .filter(\.$team.$id == team).filter(\.$person.$id ~~ Array(people)).delete()
            }
            try await ActionPeriodPlan.query(on: db).filter(\.$session.$id == id)
                .filter(\.$team.$id ~~ Array(shown.keys)).delete()
            let attendance = register.attended.flatMap { team, people in
                people.map { LearningSessionAttendance(sessionID: id, teamID: team, personID: $0) }
            }
            if !attendance.isEmpty { try await attendance.create(on: db) }
            let plans = register.plans.map { ActionPeriodPlan(sessionID: id, teamID: $0.key, plan: $0.value) }
            if !plans.isEmpty { try await plans.create(on: db) }
            var audit = LearningSessionAudit(session: self, programme: programme)
            audit.register = try await Self.summary(of: id, on: db)
            var old = LearningSessionAudit(session: self, programme: programme)
            old.register = before
            try await audit.recordAudit(.update, by: actor, before: old.auditFields, on: db)
        }
    }

    /// The register in the audit trail's words: how many people from how many teams, and the plans.
    private static func summary(of id: UUID, on db: any Database) async throws -> [String: String] {
        let attendance = try await LearningSessionAttendance.query(on: db).filter(\.$session.$id == id).all()
        let plans = try await ActionPeriodPlan.query(on: db).filter(\.$session.$id == id).with(\.$team).all()
        let (people, teams) = (attendance.count, Set(attendance.map(\.$team.id)).count)
        return [
            "attendance": "\(people) \(people == 1 ? "person" : "people") from \(teams) team\(teams == 1 ? "" : "s")",
            "plans": plans.map { "\($0.team.title): \($0.plan)" }.sorted().joined(separator: "\n"),
        ]
    }
}

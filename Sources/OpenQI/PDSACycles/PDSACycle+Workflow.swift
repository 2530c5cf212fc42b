import Fluent
import Foundation
import Vapor

extension Project {
    /// Completed, stopped or declined: no cycle is planned or started (from a page drawn before, or
    /// a request sent after), since closing ended the ones it had.
    var endedForCycles: Bool { status.isClosed || status == .declined }

    /// Why no cycle is planned or started here.
    var closedToCycles: ValidationFailure {
        ValidationFailure(
            field: "change_idea_id",
            message:
                "“\(title)” is \(status.label.lowercased()): PDSA cycles are planned and run while a project is under way."
        )
    }

    /// Plans the next cycle on a change idea's ramp.
    func planCycle(_ valid: PDSAPlanInput.Valid, by actor: Actor, on db: any Database) async throws -> PDSACycle {
        guard !endedForCycles else { throw closedToCycles }
        let projectID = try requireID()
        return try await db.transaction { db in
            let last = try await PDSACycle.query(on: db).filter(\.$changeIdea.$id == valid.changeIdeaID)
                .sort(\.$number, .descending).first()
            let cycle = PDSACycle()
            cycle.$project.id = projectID
            cycle.$changeIdea.id = valid.changeIdeaID
            cycle.number = (last?.number ?? 0) + 1
            cycle.status = .planned
            cycle.apply(valid)
            try await cycle.create(on: db)
            try await cycle.$watchedMeasures.attach(try await Self.measures(valid.measureIDs, on: db), on: db)
            try await cycle.audit(project: self).recordAudit(.create, by: actor, on: db)
            return cycle
        }
    }

    fileprivate static func measures(_ ids: [UUID], on db: any Database) async throws -> [Measure] {
        ids.isEmpty ? [] : try await Measure.query(on: db).filter(\.$id ~~ ids).all()
    }
}

extension PDSACycle {
    fileprivate func apply(_ valid: PDSAPlanInput.Valid) {
        objective = valid.objective
        question = valid.question
        prediction = valid.prediction
        who = valid.who
        what = valid.what
        place = valid.place
        plannedStart = valid.plannedStart
        plannedEnd = valid.plannedEnd
    }

    /// Changes the plan; only before the cycle starts, so the record shows what was predicted.
    /// Every change to a cycle began from version `expected`, and throws `EditConflict` when
    /// someone changed the cycle since.
    func updatePlan(
        _ valid: PDSAPlanInput.Valid, expecting expected: Int, project: Project, by actor: Actor,
        on db: any Database
    ) async throws {
        guard status == .planned else {
            throw ValidationFailure(
                field: "objective",
                message: "This cycle has started, so its plan is kept as it was. Plan the next cycle instead.")
        }
        let before = audit(project: project).auditFields
        try await db.transaction { db in
            try await self.claimNextVersion(after: expected, on: db)
            self.apply(valid)
            try await self.save(on: db)
            try await self.$watchedMeasures.detachAll(on: db)
            try await self.$watchedMeasures.attach(try await Project.measures(valid.measureIDs, on: db), on: db)
            try await self.audit(project: project).recordAudit(.update, by: actor, before: before, on: db)
        }
    }

    /// Starts the cycle and, if asked, marks the start on the charts of the measures it watches, so
    /// the team can see what the change did to the data.
    func start(
        _ input: PDSAStartInput, expecting expected: Int, project: Project, by actor: Actor, on db: any Database
    ) async throws {
        var validator = Validator()
        let day = validator.day(input.started_on, field: "started_on", label: "the day it started", required: true)
        if status != .planned { validator.fail("started_on", "This cycle has already started.") }
        if project.endedForCycles { validator.fail("started_on", project.closedToCycles.reason) }
        try validator.check()
        let annotate = !(input.annotate ?? []).isEmpty
        let before = audit(project: project).auditFields
        try await db.transaction { db in
            try await self.claimNextVersion(after: expected, on: db)
            self.status = .running
            self.startedOn = day
            try await self.save(on: db)
            if annotate {
                try await self.$changeIdea.load(on: db)
                for measure in try await self.$watchedMeasures.get(reload: true, on: db) {
                    try await MeasureAnnotation(
                        measureID: try measure.requireID(), period: day!,
                        text: "PDSA \(self.number) started: \(self.changeIdea.title)"
                    ).create(on: db)
                }
            }
            try await self.audit(project: project).recordAudit(.update, by: actor, before: before, on: db)
        }
    }

    /// Records Do and Study while the cycle runs.
    func record(
        _ input: PDSARecordInput, expecting expected: Int, project: Project, by actor: Actor, on db: any Database
    ) async throws {
        var validator = Validator()
        let done = validator.optionalText(input.do_notes, field: "do_notes", label: "what happened", maxLength: 4000)
        let studied = validator.optionalText(
            input.study_notes, field: "study_notes", label: "what the data showed", maxLength: 4000)
        if status != .running {
            validator.fail("do_notes", status == .planned ? "Start the cycle first." : "This cycle is complete.")
        } else if done == nil, studied == nil {
            validator.fail("do_notes", "Write what happened, what the data showed, or both.")
        }
        try validator.check()
        let before = audit(project: project).auditFields
        doNotes = done ?? doNotes
        studyNotes = studied ?? studyNotes
        try await saveAudited(project: project, before: before, expecting: expected, by: actor, on: db)
    }

    /// Act: the decision that completes the cycle. Study comes first: the decision rests on the data.
    func act(
        _ input: PDSAActInput, expecting expected: Int, project: Project, by actor: Actor, on db: any Database
    ) async throws {
        var validator = Validator()
        let decision = validator.choice(input.decision, field: "decision", label: "the decision", as: PDSADecision.self)
        let notes = validator.requiredText(
            input.act_notes, field: "act_notes", label: "what happens next", maxLength: 4000)
        if status != .running {
            validator.fail("decision", status == .planned ? "Start the cycle first." : "This cycle is complete.")
        } else if studyNotes == nil {
            validator.fail("decision", "Record what the data showed (Study) before deciding.")
        }
        try validator.check()
        let before = audit(project: project).auditFields
        self.decision = decision
        actNotes = notes
        status = .complete
        completedOn = AppClock.today.date
        try await saveAudited(project: project, before: before, expecting: expected, by: actor, on: db)
    }

    /// Ends a cycle its closing project leaves planned or running: complete, without a decision,
    /// saying how it ended (part of the closing's transaction).
    func endWithProject(_ project: Project, by actor: Actor, on db: any Database) async throws {
        let before = audit(project: project).auditFields
        let how = status == .running ? "Ended unfinished" : "Ended before it started"
        status = .complete
        completedOn = AppClock.today.date
        actNotes = "\(how): the project was \(project.status.label.lowercased()) on \(AppClock.today.label)."
        try await claimNextVersion(after: version, on: db)
        try await save(on: db)
        try await audit(project: project).recordAudit(.update, by: actor, before: before, on: db)
    }

    func audit(project: Project) -> ProjectPartAudit {
        ProjectPartAudit(
            kind: "pdsa_cycle", id: id, name: "PDSA \(number)", project: project,
            auditFields: [
                "change_idea": $changeIdea.id.uuidString, "status": status.rawValue, "objective": objective,
                "question": question, "prediction": prediction, "who": who, "what": what, "where": place,
                "planned_start": CalendarDay.text(plannedStart),
                "planned_end": plannedEnd.map(CalendarDay.text) ?? "",
                "started_on": startedOn.map(CalendarDay.text) ?? "", "do": doNotes ?? "", "study": studyNotes ?? "",
                "decision": decision?.rawValue ?? "", "act": actNotes ?? "",
            ])
    }
}

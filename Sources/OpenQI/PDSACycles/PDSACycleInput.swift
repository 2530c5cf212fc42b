import Fluent
import Foundation
import Vapor

/// The plan of a PDSA cycle, as typed into its form or sent to the API.
struct PDSAPlanInput: Content, Sendable {
    var change_idea_id: String?
    var objective: String?
    var question: String?
    var prediction: String?
    var who: String?
    var what: String?
    var `where`: String?
    var planned_start: String?
    var planned_end: String?
    var measure_ids: [String]?

    struct Valid: Sendable {
        let changeIdeaID: UUID
        let objective: String
        let question: String
        let prediction: String
        let who: String
        let what: String
        let place: String
        let plannedStart: Date
        let plannedEnd: Date?
        let measureIDs: [UUID]
    }

    /// Checks the plan against the project: the idea and the watched measures must be its own.
    func validate(ideas: Set<UUID>, measures: Set<UUID>) throws -> Valid {
        var validator = Validator()
        let ideaID = validator.identifier(
            change_idea_id, field: "change_idea_id", label: "the change idea", required: true)
        if let ideaID, !ideas.contains(ideaID) {
            validator.fail("change_idea_id", "Choose one of this project’s change ideas.")
        }
        let objective = validator.requiredText(
            objective, field: "objective", label: "the objective of this cycle", maxLength: 500)
        let question = validator.requiredText(
            question, field: "question", label: "the question it answers", maxLength: 500)
        let prediction = validator.requiredText(
            prediction, field: "prediction", label: "what you predict will happen", maxLength: 1000)
        let who = validator.requiredText(who, field: "who", label: "who will carry it out")
        let what = validator.requiredText(what, field: "what", label: "what will be done", maxLength: 1000)
        let place = validator.requiredText(self.where, field: "where", label: "where it will happen")
        let start = validator.day(planned_start, field: "planned_start", label: "the start date", required: true)
        let end = validator.day(planned_end, field: "planned_end", label: "the end date", required: false)
        if let start, let end, end < start {
            validator.fail("planned_end", "The end date must be on or after the start date.")
        }
        let measureIDs = Validator.identifiers(measure_ids)
        if !measureIDs.allSatisfy(measures.contains) {
            validator.fail("measure_ids", "Choose measures of this project to watch.")
        }
        try validator.check()
        return Valid(
            changeIdeaID: ideaID!, objective: objective, question: question, prediction: prediction, who: who,
            what: what, place: place, plannedStart: start!, plannedEnd: end, measureIDs: measureIDs)
    }

    init(
        change_idea_id: String? = nil, objective: String? = nil, question: String? = nil, prediction: String? = nil,
        who: String? = nil, what: String? = nil, where place: String? = nil, planned_start: String? = nil,
        planned_end: String? = nil, measure_ids: [String]? = nil
    ) {
        self.change_idea_id = change_idea_id
        self.objective = objective
        self.question = question
        self.prediction = prediction
        self.who = who
        self.what = what
        self.where = place
        self.planned_start = planned_start
        self.planned_end = planned_end
        self.measure_ids = measure_ids
    }

    /// The plan of an existing cycle, to edit, or to start the next cycle on the ramp from.
    init(_ cycle: PDSACycle, watched: [UUID]) {
        self.init(
            change_idea_id: cycle.$changeIdea.id.uuidString, objective: cycle.objective, question: cycle.question,
            prediction: cycle.prediction, who: cycle.who, what: cycle.what, where: cycle.place,
            planned_start: CalendarDay.text(cycle.plannedStart),
            planned_end: cycle.plannedEnd.map(CalendarDay.text), measure_ids: watched.map(\.uuidString))
    }

    var formState: FormState {
        FormState(
            values: [
                "change_idea_id": change_idea_id ?? "", "objective": objective ?? "", "question": question ?? "",
                "prediction": prediction ?? "", "who": who ?? "", "what": what ?? "", "where": self.where ?? "",
                "planned_start": planned_start ?? "", "planned_end": planned_end ?? "",
            ],
            selected: ["measure_ids": Set(measure_ids ?? [])])
    }
}

/// Starting a cycle: the day it started, and whether to mark that day on the watched measures' charts.
struct PDSAStartInput: Content, Sendable {
    var started_on: String?
    var annotate: [String]?
}

/// Do and Study: what happened, and what the data showed against the prediction.
struct PDSARecordInput: Content, Sendable {
    var do_notes: String?
    var study_notes: String?
}

/// Act: adopt, adapt or abandon, and what happens next.
struct PDSAActInput: Content, Sendable {
    var decision: String?
    var act_notes: String?
}

extension Project {
    /// Plans the next cycle on a change idea's ramp.
    func planCycle(_ valid: PDSAPlanInput.Valid, by actor: Actor, on db: any Database) async throws -> PDSACycle {
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
    func updatePlan(_ valid: PDSAPlanInput.Valid, project: Project, by actor: Actor, on db: any Database)
        async throws
    {
        guard status == .planned else {
            throw ValidationFailure(
                field: "objective",
                message: "This cycle has started, so its plan is kept as it was. Plan the next cycle instead.")
        }
        let before = audit(project: project).auditFields
        try await db.transaction { db in
            self.apply(valid)
            try await self.save(on: db)
            try await self.$watchedMeasures.detachAll(on: db)
            try await self.$watchedMeasures.attach(try await Project.measures(valid.measureIDs, on: db), on: db)
            try await self.audit(project: project).recordAudit(.update, by: actor, before: before, on: db)
        }
    }

    /// Starts the cycle and, if asked, marks the start on the charts of the measures it watches, so
    /// the team can see what the change did to the data.
    func start(_ input: PDSAStartInput, project: Project, by actor: Actor, on db: any Database) async throws {
        var validator = Validator()
        let day = validator.day(input.started_on, field: "started_on", label: "the day it started", required: true)
        if status != .planned { validator.fail("started_on", "This cycle has already started.") }
        try validator.check()
        let annotate = !(input.annotate ?? []).isEmpty
        let before = audit(project: project).auditFields
        try await db.transaction { db in
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
    func record(_ input: PDSARecordInput, project: Project, by actor: Actor, on db: any Database) async throws {
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
        try await saveAudited(project: project, before: before, by: actor, on: db)
    }

    /// Act: the decision that completes the cycle. Study comes first: the decision rests on the data.
    func act(_ input: PDSAActInput, project: Project, by actor: Actor, on db: any Database) async throws {
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
        try await saveAudited(project: project, before: before, by: actor, on: db)
    }

    private func saveAudited(project: Project, before: [String: String], by actor: Actor, on db: any Database)
        async throws
    {
        try await db.transaction { db in
            try await self.save(on: db)
            try await self.audit(project: project).recordAudit(.update, by: actor, before: before, on: db)
        }
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

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
    /// The version an edit of the plan began from (the edit form's hidden field).
    var version: Int? = nil

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
        return try validator.check(ideaID, start) { ideaID, start in
            Valid(
                changeIdeaID: ideaID, objective: objective, question: question, prediction: prediction, who: who,
                what: what, place: place, plannedStart: start, plannedEnd: end, measureIDs: measureIDs)
        }
    }

    init(
        change_idea_id: String? = nil, objective: String? = nil, question: String? = nil, prediction: String? = nil,
        who: String? = nil, what: String? = nil, where place: String? = nil, planned_start: String? = nil,
        planned_end: String? = nil, measure_ids: [String]? = nil, version: Int? = nil
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
        self.version = version
    }

    /// The plan of an existing cycle, to edit, or to start the next cycle on the ramp from.
    init(_ cycle: PDSACycle, watched: [UUID]) {
        self.init(
            change_idea_id: cycle.$changeIdea.id.uuidString, objective: cycle.objective, question: cycle.question,
            prediction: cycle.prediction, who: cycle.who, what: cycle.what, where: cycle.place,
            planned_start: CalendarDay.text(cycle.plannedStart),
            planned_end: cycle.plannedEnd.map(CalendarDay.text), measure_ids: watched.map(\.uuidString),
            version: cycle.version)
    }

    var formState: FormState {
        FormState(
            values: [
                "change_idea_id": change_idea_id ?? "", "objective": objective ?? "", "question": question ?? "",
                "prediction": prediction ?? "", "who": who ?? "", "what": what ?? "", "where": self.where ?? "",
                "planned_start": planned_start ?? "", "planned_end": planned_end ?? "",
                "version": version.map(String.init) ?? "",
            ],
            selected: ["measure_ids": Set(measure_ids ?? [])])
    }
}

extension PDSAPlanInput: VersionedInput {
    /// The plan as saved, with the measures it watches when they were loaded.
    init(_ cycle: PDSACycle) {
        self.init(cycle, watched: cycle.$watchedMeasures.value?.compactMap(\.id) ?? [])
    }

    static let labels: [(field: String, label: String)] = [
        ("objective", "Objective"), ("question", "Question"), ("prediction", "Prediction"), ("who", "Who"),
        ("what", "What"), ("where", "Where"), ("planned_start", "When: start"), ("planned_end", "When: end"),
    ]
}

/// Starting a cycle: the day it started, and whether to mark that day on the watched measures' charts.
struct PDSAStartInput: Content, Sendable, VersionedInput {
    var started_on: String?
    var annotate: [String]?
    var version: Int?

    init(_ cycle: PDSACycle) {
        started_on = CalendarDay.text(cycle.startedOn ?? cycle.plannedStart)
        annotate = ["yes"]
        version = cycle.version
    }

    var formState: FormState {
        FormState(
            values: ["started_on": started_on ?? "", "version": version.map(String.init) ?? ""],
            selected: ["annotate": Set(annotate ?? [])])
    }

    static let labels: [(field: String, label: String)] = [("started_on", "Started on")]
}

/// Do and Study: what happened, and what the data showed against the prediction.
struct PDSARecordInput: Content, Sendable, VersionedInput {
    var do_notes: String?
    var study_notes: String?
    var version: Int?

    init(_ cycle: PDSACycle) {
        do_notes = cycle.doNotes
        study_notes = cycle.studyNotes
        version = cycle.version
    }

    var formState: FormState {
        FormState(values: [
            "do_notes": do_notes ?? "", "study_notes": study_notes ?? "", "version": version.map(String.init) ?? "",
        ])
    }

    static let labels: [(field: String, label: String)] = [
        ("do_notes", "Do: what happened"), ("study_notes", "Study: what the data showed against the prediction"),
    ]
}

/// Act: adopt, adapt or abandon, and what happens next.
struct PDSAActInput: Content, Sendable, VersionedInput {
    var decision: String?
    var act_notes: String?
    var version: Int?

    init(_ cycle: PDSACycle) {
        decision = cycle.decision?.rawValue
        act_notes = cycle.actNotes
        version = cycle.version
    }

    var formState: FormState {
        FormState(values: [
            "decision": decision ?? "", "act_notes": act_notes ?? "", "version": version.map(String.init) ?? "",
        ])
    }

    static let labels: [(field: String, label: String)] = [
        ("decision", "Decision"), ("act_notes", "What happens next"),
    ]
}

import Fluent
import Foundation
import Vapor

/// A programme as typed into its form, before validation.
struct ProgrammeInput: Content, Sendable {
    var name: String?
    var description: String?
    var aim: String?
    var unit_id: String?
    var priority_id: String?
    /// The standard measures every team counts (`measure_ids[]` from the form's checkboxes).
    var measure_ids: [String]? = nil
    /// The version an edit began from: the edit form's hidden field.
    var version: Int? = nil

    var formState: FormState {
        FormState(
            values: [
                "name": name ?? "", "description": description ?? "", "aim": aim ?? "", "unit_id": unit_id ?? "",
                "priority_id": priority_id ?? "", "version": version.map(String.init) ?? "",
            ],
            selected: ["measure_ids": Set(measure_ids ?? [])])
    }
}

extension ProgrammeInput: VersionedInput {
    /// The programme as its form shows it; its measures must be loaded.
    init(_ programme: Programme) {
        self.init(
            name: programme.name, description: programme.summary, aim: programme.aim,
            unit_id: programme.$unit.id.uuidString, priority_id: programme.$priority.id?.uuidString,
            measure_ids: programme.$measures.value?.compactMap { $0.id?.uuidString }, version: programme.version)
    }

    static let labels: [(field: String, label: String)] = [
        ("name", "Name"), ("unit_id", "Run by"), ("priority_id", "Strategic priority it delivers"),
        ("aim", "Aim"), ("description", "Description"),
    ]
}

/// A valid programme, ready to save.
struct ProgrammeDraft: Sendable, Equatable {
    static let maximumNameLength = 120

    var name: String
    var summary: String?
    var aim: String?
    var unitID: UUID
    var priorityID: UUID?
    var measureIDs: [UUID]
}

/// What a programme's form may choose from, read once for validating and for drawing the form.
struct ProgrammeChoices: Sendable {
    /// The units the person may run a programme from (and, when editing, its own).
    var units: [FormField.Option]
    var priorities: PriorityChoices
    var priorityOptions: [FormField.Option]
    /// The standard measures in use (and, when editing, those it already counts).
    var measures: [FormField.Option]
}

extension ProgrammeInput {
    /// Checks the input against the programmes there are (no two share a name) and what the form
    /// offered.
    func validate(among programmes: [Programme], choices: ProgrammeChoices, editing: UUID? = nil) throws
        -> ProgrammeDraft
    {
        var validator = Validator()
        let name = validator.requiredText(
            name, field: "name", label: "a name", maxLength: ProgrammeDraft.maximumNameLength)
        let summary = validator.optionalText(description, field: "description", label: "the description")
        let aim = validator.optionalText(aim, field: "aim", label: "the aim", maxLength: 500)
        let unitID = validator.identifier(unit_id, field: "unit_id", label: "the unit that runs it", required: true)
        if let unitID, !choices.units.contains(where: { $0.value == unitID.uuidString }) {
            validator.fail(
                "unit_id",
                "Choose a unit from the list: a programme is run by a unit whose administrators or QI team you are part of."
            )
        }
        let priorityID = validator.identifier(
            priority_id, field: "priority_id", label: "the strategic priority", required: false)
        if let priorityID, let refusal = choices.priorities.refusal(of: priorityID) {
            validator.fail("priority_id", refusal)
        }
        let measureIDs = Validator.identifiers(measure_ids)
        let offered = Set(choices.measures.map(\.value))
        if measureIDs.count != (measure_ids ?? []).count || !measureIDs.allSatisfy({ offered.contains($0.uuidString) })
        {
            validator.fail(
                "measure_ids", "Choose measures from the list: the standard measures in use.")
        }
        validator.uniqueName(
            name, among: programmes.map { ($0.id, $0.name, false) }, editing: editing, called: "programme")
        return try validator.check(unitID) { unitID in
            ProgrammeDraft(
                name: name, summary: summary, aim: aim, unitID: unitID, priorityID: priorityID, measureIDs: measureIDs)
        }
    }
}

/// A decision to move a programme to another stage, as typed into the stage form.
struct ProgrammeStageInput: Content, Sendable {
    var stage: String?
    var decided_on: String?
    var note: String?
    /// The programme's version the page showed.
    var version: Int?

    var formState: FormState {
        FormState(values: [
            "stage": stage ?? "", "decided_on": decided_on ?? "", "note": note ?? "",
            "version": version.map(String.init) ?? "",
        ])
    }

    struct Valid: Sendable, Equatable {
        let stage: ProgrammeStage
        let decidedOn: Date
        let note: String
    }

    /// Reads the decision; whether the programme may make it is its workflow's to say.
    func validate(today: Date) throws -> Valid {
        var validator = Validator()
        let stage = validator.choice(stage, field: "stage", label: "the stage to move to", as: ProgrammeStage.self)
        let day = validator.day(decided_on, field: "decided_on", label: "the day it was decided", required: true)
        if let day, day > today {
            validator.fail("decided_on", "The day it was decided cannot be in the future.")
        }
        let note = validator.requiredText(
            note, field: "note", label: "a note of why (what was agreed, and by whom)", maxLength: 2000)
        return try validator.check(stage, day) { Valid(stage: $0, decidedOn: $1, note: note) }
    }
}

/// Someone joining a programme: `person_id` once chosen, or `person`, a name or email to look for.
struct ProgrammePersonInput: Content, Sendable {
    var person_id: String?
    var person: String?
    var role: String?

    var formState: FormState {
        FormState(values: ["person_id": person_id ?? "", "person": person ?? "", "role": role ?? ""])
    }
}

/// The programmes a project may join: those taking teams (recruiting or delivering), and the one
/// it is part of already, whatever its stage. A team joins through its proposal, which its forum
/// approves: once approved (`settled`), a project stays in the programme it was approved into.
/// Knows every programme, so a refusal can say why.
struct ProgrammeOffer: Sendable {
    private let programmes: [(id: UUID, name: String, stage: ProgrammeStage)]
    private let kept: UUID?
    private let settled: Bool

    init(_ programmes: [Programme], kept: UUID?, settled: Bool = false) {
        self.programmes = programmes.compactMap { p in p.id.map { ($0, p.name, p.stage) } }
        self.kept = kept
        self.settled = settled
    }

    private func offered(_ programme: (id: UUID, name: String, stage: ProgrammeStage)) -> Bool {
        programme.id == kept || (!settled && programme.stage.takesTeams)
    }

    /// Why the project may not leave its programme, if it may not: not once its forum approved it.
    var refusalToLeave: String? {
        guard settled, let kept, let programme = programmes.first(where: { $0.id == kept }) else { return nil }
        return "The forum approved this project as part of “\(programme.name)”, so it stays in it. "
            + "Ask the programme’s lead if it should leave."
    }

    var options: [FormField.Option] {
        programmes.filter(offered).map { .init(value: $0.id.uuidString, label: $0.name) }
    }

    /// Why a project may not join this programme, in words for the person choosing; nil if it may.
    func refusal(of id: UUID) -> String? {
        guard let programme = programmes.first(where: { $0.id == id }) else {
            return "There is no programme with the identifier “\(id.uuidString)”. Choose one from the list."
        }
        if offered(programme) { return nil }
        if settled {
            return "A team joins a programme through its proposal, which its forum approves; this project was approved "
                + "\(kept == nil ? "on its own" : "into another programme"). Propose a new project for “\(programme.name)” instead."
        }
        return "“\(programme.name)” is at its \(programme.stage.label.lowercased()) stage and takes no teams now: "
            + "teams join while a programme recruits or delivers."
    }

    static func forProject(_ project: Project? = nil, on db: any Database) async throws -> ProgrammeOffer {
        ProgrammeOffer(
            try await Programme.query(on: db).sort(\.$name).all(), kept: project?.$programme.id,
            settled: project.map { !$0.status.isProposal } ?? false)
    }
}

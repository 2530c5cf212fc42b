import Foundation
import Vapor

/// A strategic objective as typed into its form or sent to the API, before validation.
struct ObjectiveInput: Content, Sendable {
    var name: String?
    var description: String?
    /// The Whole System Measures that track it (`measure_ids[]` from the form's checkboxes).
    var measure_ids: [String]? = nil
    /// The API's PUT archives or restores with the same call; the pages have buttons for that.
    var archived: Bool? = nil
    /// The version an edit began from: the edit form's hidden field, and required by the API's PUT.
    var version: Int? = nil

    var formState: FormState {
        FormState(
            values: ["name": name ?? "", "description": description ?? "", "version": version.map(String.init) ?? ""],
            selected: ["measure_ids": Set(measure_ids ?? [])])
    }
}

/// A priority as typed into its form or sent to the API, before validation.
struct PriorityInput: Content, Sendable {
    var name: String?
    var description: String?
    var objective_id: String?
    /// The API's PUT archives or restores with the same call; the pages have buttons for that.
    var archived: Bool? = nil
    var version: Int? = nil

    var formState: FormState {
        FormState(values: [
            "name": name ?? "", "description": description ?? "", "objective_id": objective_id ?? "",
            "version": version.map(String.init) ?? "",
        ])
    }
}

/// The strategy's aim as typed into its form.
struct StrategyAimInput: Content, Sendable {
    var aim: String?

    var formState: FormState { FormState(values: ["aim": aim ?? ""]) }
}

/// A valid objective or priority, ready to save; `objectiveID` is only a priority's.
struct StrategyItemDraft: Sendable, Equatable {
    var name: String
    var summary: String?
    /// A priority's objective.
    var objectiveID: UUID? = nil
    var archived: Bool? = nil
    /// An objective's measures.
    var measureIDs: [UUID] = []
}

extension ObjectiveInput {
    /// Checks the input against the objectives there are: no two share a name, archived or not
    /// (an archived one is restored, not made again); and its measures are among those `offered`
    /// (the organisation's own). `editing` is the objective being changed.
    func validate(among objectives: [StrategicObjective], offered: Set<UUID>, editing: UUID? = nil) throws
        -> StrategyItemDraft
    {
        var validator = Validator()
        let name = validator.requiredText(
            name, field: "name", label: "a name", maxLength: StrategyItemDraft.maximumNameLength)
        let summary = validator.optionalText(description, field: "description", label: "the description")
        validator.uniqueName(
            name, among: objectives.map { ($0.id, $0.name, $0.isArchived) }, editing: editing,
            called: "strategic objective")
        let measureIDs = Validator.identifiers(measure_ids)
        if measureIDs.count != (measure_ids ?? []).count || !offered.isSuperset(of: measureIDs) {
            validator.fail(
                "measure_ids",
                "Choose measures from the list: the organisation’s own measures in use track its objectives.")
        }
        try validator.check()
        return StrategyItemDraft(name: name, summary: summary, archived: archived, measureIDs: measureIDs)
    }
}

extension PriorityInput {
    /// Checks the input against the strategy: a unique name, and an objective that exists and is in
    /// use (a priority may be left unfiled only where it was made before objectives existed, so the
    /// form and the API ask for one).
    func validate(
        among priorities: [Priority], objectives: [StrategicObjective], editing: Priority? = nil
    ) throws -> StrategyItemDraft {
        var validator = Validator()
        let name = validator.requiredText(
            name, field: "name", label: "a name", maxLength: StrategyItemDraft.maximumNameLength)
        let summary = validator.optionalText(description, field: "description", label: "the description")
        let objectiveID = validator.identifier(
            objective_id, field: "objective_id", label: "the strategic objective it serves", required: true)
        if let objectiveID {
            if let objective = objectives.first(where: { $0.id == objectiveID }) {
                // An archived priority may stay under an archived objective; one in use may not.
                let staysArchived = archived ?? editing?.isArchived ?? false
                if objective.isArchived && !staysArchived {
                    validator.fail(
                        "objective_id",
                        "“\(objective.name)” is archived. Choose an objective that is in use, or restore it first.")
                }
            } else {
                validator.fail(
                    "objective_id", "There is no strategic objective with this identifier. Choose one from the list.")
            }
        }
        validator.uniqueName(
            name, among: priorities.map { ($0.id, $0.name, $0.isArchived) }, editing: editing?.id, called: "priority")
        try validator.check()
        return StrategyItemDraft(name: name, summary: summary, objectiveID: objectiveID, archived: archived)
    }
}

extension StrategyAimInput {
    static let maximumLength = 300

    /// The aim, or nil to take it away.
    func validate() throws -> String? {
        var validator = Validator()
        let aim = validator.optionalText(aim, field: "aim", label: "the aim", maxLength: Self.maximumLength)
        try validator.check()
        return aim
    }
}

extension StrategyItemDraft {
    static let maximumNameLength = 120
}

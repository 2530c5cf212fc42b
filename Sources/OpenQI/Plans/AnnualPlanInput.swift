import Fluent
import Foundation
import Vapor

/// An annual plan as typed into its form, before validation.
struct AnnualPlanInput: Content, Sendable {
    var unit_id: String?
    var year: String?
    var parent_id: String?
    var aim: String?
    /// The version an edit began from: the edit form's hidden field.
    var version: Int? = nil

    var formState: FormState {
        FormState(values: [
            "unit_id": unit_id ?? "", "year": year ?? "", "parent_id": parent_id ?? "", "aim": aim ?? "",
            "version": version.map(String.init) ?? "",
        ])
    }
}

extension AnnualPlanInput: VersionedInput {
    init(_ plan: AnnualPlan) {
        self.init(
            unit_id: plan.$unit.id.uuidString, year: String(plan.year), parent_id: plan.$parent.id?.uuidString,
            aim: plan.aim, version: plan.version)
    }

    static let labels: [(field: String, label: String)] = [
        ("unit_id", "Whose plan"), ("year", "Year"), ("parent_id", "Under the plan of"), ("aim", "Aim"),
    ]
}

/// A valid plan, ready to save.
struct AnnualPlanDraft: Sendable, Equatable {
    var unitID: UUID
    var year: Int
    var parentID: UUID?
    var aim: String
}

/// What a plan's form may choose from.
struct AnnualPlanChoices: Sendable {
    /// The units the viewer may plan for (and, when editing, the plan's own).
    var units: [FormField.Option]
    /// Every plan there is, with its unit, to check the year and the parent against.
    var plans: [AnnualPlan]
    var tree: UnitTree
}

extension AnnualPlanInput {
    /// Checks the plan: a unit the viewer plans for, a year in range that the unit has no plan for
    /// yet, and a parent (if any) that is a plan for the same year of a unit above this one.
    func validate(choices: AnnualPlanChoices, editing: UUID? = nil) throws -> AnnualPlanDraft {
        var validator = Validator()
        let unitID = validator.identifier(unit_id, field: "unit_id", label: "the unit", required: true)
        if let unitID, !choices.units.contains(where: { $0.value == unitID.uuidString }) {
            validator.fail(
                "unit_id",
                "Choose a unit from the list: a plan is drawn for a unit whose administrators or QI team you are part of."
            )
        }
        let year = validator.wholeNumber(
            year, field: "year", label: "the year", in: AnnualPlan.years,
            missing: "Enter the year the plan starts, like 2026 for 2026/27.")
        let aim = validator.requiredText(
            aim, field: "aim", label: "what the unit will achieve this year", maxLength: 500)
        if let unitID, let year,
            choices.plans.contains(where: { $0.$unit.id == unitID && $0.year == year && $0.id != editing })
        {
            validator.fail(
                "year",
                "\(choices.tree.nodes[unitID]?.name ?? "The unit") already has a plan for \(AnnualPlan.label(year)).")
        }
        let parentID = validator.identifier(parent_id, field: "parent_id", label: "the plan above", required: false)
        if let parentID {
            let parent = choices.plans.first { $0.id == parentID }
            if parent == nil || parentID == editing {
                validator.fail("parent_id", "Choose the plan above from the list, or none.")
            } else if let parent, let unitID, let year, !Self.fits(unitID, year, under: parent, tree: choices.tree) {
                validator.fail(
                    "parent_id",
                    "A plan sits under a plan for the same year of a unit above it: “\(parent.title)” is not one.")
            }
        }
        // The plans under this one must still sit rightly under it after the change.
        if let editing, let unitID, let year {
            let moved = AnnualPlan(unitID: unitID, year: year, aim: "")
            let under = choices.plans.filter { $0.$parent.id == editing }
            if let stranded = under.first(where: { !Self.fits($0.$unit.id, $0.year, under: moved, tree: choices.tree) })
            {
                validator.fail(
                    "year",
                    "“\(stranded.title)” sits under this plan and would no longer be below it for the same year. Change that plan first."
                )
            }
        }
        return try validator.check(unitID, year) { unitID, year in
            AnnualPlanDraft(unitID: unitID, year: year, parentID: parentID, aim: aim)
        }
    }
}

extension AnnualPlanInput {
    /// Whether a plan of `unitID` for `year` may sit under `parent`: the same year, a unit strictly
    /// above. (So no plan can come to sit under itself, at any depth.)
    static func fits(_ unitID: UUID, _ year: Int, under parent: AnnualPlan, tree: UnitTree) -> Bool {
        parent.year == year && parent.$unit.id != unitID && tree.subtree(of: parent.$unit.id).contains(unitID)
    }
}

/// Work linked to a box of a plan, as chosen from the plan's page.
struct PlanLinkInput: Content, Sendable {
    var box: String?
    var work: String?

    var formState: FormState { FormState(values: ["box": box ?? "", "work": work ?? ""]) }

    /// Checks that the box is one of the plan's and the work one of those offered.
    func validate(boxes: [FormField.Option], work offered: [FormField.Option]) throws -> (PlanBox, PlanWork) {
        var validator = Validator()
        let box = self.box.flatMap(PlanBox.init)
        if box == nil || !boxes.contains(where: { PlanBox($0.value) == box }) {
            validator.fail("box", "Choose a box of the plan’s diagram.")
        }
        let work = self.work.flatMap(PlanWork.init)
        if work == nil || !offered.contains(where: { PlanWork($0.value) == work }) {
            validator.fail(
                "work", "Choose a project, programme or measure from the list: the unit’s own work and the programmes.")
        }
        return try validator.check(box, work) { ($0, $1) }
    }
}

import Fluent
import Foundation
import Plot

/// The form that draws a new annual plan or changes one: whose it is, its year, the plan above it
/// and its aim.
enum AnnualPlanForm {
    struct Model: Sendable, Equatable {
        var editingID: UUID?
        var editingTitle: String?
        var form: FormState
        var unitOptions: [FormField.Option]
        var parentOptions: [FormField.Option]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.editingTitle.map { "Edit \($0)" } ?? "Draw an annual plan" }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL())]
                + (model.editingID.map { id in
                    [.init(label: model.editingTitle ?? "Plan", url: SiteURL.plans(.show(.value(id))).relativeURL())]
                } ?? [])
        }

        override func content() -> Node<HTML.BodyContext> {
            let action = model.editingID.map { SiteURL.plans(.update(.value($0))) } ?? .plans(.create)
            let cancel = model.editingID.map { SiteURL.plans(.show(.value($0))) } ?? .strategy(.show)
            return FormView(
                action: action.relativeURL(), csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(
                        name: "unit_id", label: "Whose plan",
                        control: .select([.init(value: "", label: "Choose…")] + model.unitOptions),
                        hint: "A directorate, usually; its administrators and QI team keep the plan.",
                        isRequired: true),
                    FormField(
                        name: "year", label: "Year", hint: "The year it starts: 2026 for the plan for 2026/27.",
                        isRequired: true),
                    FormField(
                        name: "parent_id", label: "Under the plan of",
                        control: .select([.init(value: "", label: "None")] + model.parentOptions),
                        hint: "The plan, for the same year, of a unit above this one that this plan serves."),
                    FormField(
                        name: "aim", label: "Aim", control: .textarea(rows: 2),
                        hint: "What the unit will achieve this year: the aim its plan’s driver diagram starts from.",
                        isRequired: true),
                ],
                submitLabel: model.editingID == nil ? "Draw the plan" : "Save changes", cancelURL: cancel.relativeURL(),
                anchor: "plan-form"
            ).page(pageTitle())
        }
    }
}

extension AnnualPlanChoices {
    /// The units the viewer may plan for (and the plan's own), and every plan, with its unit.
    static func query(for plan: AnnualPlan?, policy: Policy, on db: any Database) async throws -> Self {
        .init(
            units: policy.tree.parentOptions().filter { option in
                guard let id = UUID(uuidString: option.value) else { return false }
                return id == plan?.$unit.id || policy.allows(.managePlans(in: id))
            },
            plans: try await AnnualPlan.query(on: db).with(\.$unit).sort(\.$year, .descending).all(),
            tree: policy.tree)
    }

    /// The plans another may sit under: any but the plan itself, newest first.
    func parentOptions(editing: UUID?) -> [FormField.Option] {
        plans.filter { $0.id != editing }.compactMap { plan in
            plan.id.map { .init(value: $0.uuidString, label: plan.title) }
        }
    }
}

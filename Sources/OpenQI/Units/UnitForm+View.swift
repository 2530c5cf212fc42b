import Foundation
import Plot

/// The page to add or edit a unit.
enum UnitForm {
    struct Model: Sendable, Equatable {
        /// The unit being edited; nil when adding one.
        var unitID: UUID?
        var unitName: String?
        var form: FormState
        var parentOptions: [FormField.Option]
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String { model.unitID == nil ? "Add a unit" : "Edit \(model.unitName ?? "unit")" }

        override func breadcrumbs() -> [PageContext.Link] {
            .unit(model.unitID, named: model.unitName)
        }

        override func content() -> Node<HTML.BodyContext> {
            let (action, cancel) = SiteURL.Units.form(editing: model.unitID)
            return FormView(
                action: action, csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(name: "name", label: "Name", isRequired: true),
                    FormField(
                        name: "kind", label: "Kind of unit",
                        control: .select(every: UnitKind.self, none: "Choose…"),
                        hint:
                            "Organisations and partner organisations sit at the top; directorates, services, teams and wards below them.",
                        isRequired: true
                    ),
                    FormField(
                        name: "parent_id", label: "Belongs to",
                        control: .select([.init(value: "", label: "Nothing (top level)")] + model.parentOptions),
                        hint: "The unit this one is part of."
                    ),
                    FormField(name: "description", label: "Description", control: .textarea(rows: 3)),
                ],
                submitLabel: model.unitID == nil ? "Add unit" : "Save changes",
                cancelURL: cancel
            ).page(pageTitle())
        }
    }
}

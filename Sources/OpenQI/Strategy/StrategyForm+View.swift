import Foundation
import Plot

/// The pages that set the strategy: its aim, and adding or editing an objective or a priority.
enum StrategyForm {
    enum Subject: Sendable, Equatable {
        case aim, objective, priority
    }

    struct Model: Sendable, Equatable {
        var subject: Subject
        /// The objective or priority being edited; nil when adding one, and for the aim.
        var editingID: UUID? = nil
        var editingName: String? = nil
        var form: FormState
        /// The objectives a priority may be filed under (those in use, and its own).
        var objectiveOptions: [FormField.Option] = []
        /// The measures that may track an objective (the organisation's own).
        var measureOptions: [FormField.Option] = []
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String {
            switch (model.subject, model.editingName) {
            case (.aim, _): "The strategy’s aim"
            case (.objective, nil): "Add a strategic objective"
            case (.priority, nil): "Add a priority"
            case (_, let name?): "Edit \(name)"
            }
        }

        override func breadcrumbs() -> [PageContext.Link] {
            [.init(label: "Strategy", url: SiteURL.strategy(.show).relativeURL())]
        }

        override func content() -> Node<HTML.BodyContext> {
            FormView(
                action: SiteURL.strategy(action).relativeURL(), csrfToken: context.csrfToken, state: model.form,
                fields: fields, submitLabel: model.editingID == nil && model.subject != .aim ? "Add" : "Save changes",
                cancelURL: SiteURL.strategy(.show).relativeURL(),
                // A form sent back with mistakes opens at its error summary, which takes the focus.
                anchor: "strategy-form"
            ).page(pageTitle())
        }

        private var action: SiteURL.Strategy {
            switch (model.subject, model.editingID) {
            case (.aim, _): .saveAim
            case (.objective, nil): .createObjective
            case (.objective, let id?): .updateObjective(.value(id))
            case (.priority, nil): .createPriority
            case (.priority, let id?): .updatePriority(.value(id))
            }
        }

        private var fields: [FormField] {
            let description = FormField(
                name: "description", label: "Description", control: .textarea(rows: 3),
                hint: "What it means in practice, in a sentence or two.")
            switch model.subject {
            case .aim:
                return [
                    FormField(
                        name: "aim", label: "Aim", control: .textarea(rows: 2),
                        hint:
                            "What the whole organisation sets out to achieve, in one sentence. Leave it empty to take it away."
                    )
                ]
            case .objective:
                return [
                    FormField(
                        name: "name", label: "Name", hint: "For example “Improved experience of care”.",
                        isRequired: true),
                    description,
                ]
                    + (model.measureOptions.isEmpty
                        ? []
                        : [
                            FormField(
                                name: "measure_ids", label: "Whole System Measures that track it",
                                control: .checkboxes(model.measureOptions),
                                hint: "The organisation’s own measures: the strategy shows how each moves.")
                        ])
            case .priority:
                return [
                    FormField(
                        name: "name", label: "Name", hint: "For example “Reducing violence and restrictive practice”.",
                        isRequired: true),
                    FormField(
                        name: "objective_id", label: "Strategic objective it serves",
                        control: .select([.init(value: "", label: "Choose…")] + model.objectiveOptions),
                        isRequired: true),
                    description,
                ]
            }
        }
    }
}

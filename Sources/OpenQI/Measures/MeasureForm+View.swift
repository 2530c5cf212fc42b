import Charts
import Foundation
import Plot
import SPC

/// The page to define a measure for a project or a unit, or to change its definition.
enum MeasureForm {
    struct Model: Sendable, Equatable {
        /// The project or unit a new measure is added to; the measure itself when `isEdit`.
        var ownerName: String
        var action: String
        var cancelURL: String
        var form: FormState
        var isEdit = false
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String { model.isEdit ? "Change a measure" : "Add a measure" }

        override func content() -> Node<HTML.BodyContext> {
            FormView(
                action: model.action, csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(
                        name: "name", label: "Name", hint: "For example: Falls per 1,000 bed days.",
                        isRequired: true),
                    FormField(
                        name: "key", label: "Key for bulk data",
                        hint:
                            "Optional. A stable name a CSV upload or a data warehouse uses for this measure, like ward-7.falls; unique across the organisation."
                    ),
                    FormField(
                        name: "kind", label: "Kind",
                        control: .select(every: MeasureKind.self),
                        isRequired: true),
                    FormField(
                        name: "definition", label: "Operational definition", control: .textarea(rows: 3),
                        hint:
                            "Exactly what is counted, from where, and when, so anyone collecting it gets the same number.",
                        isRequired: true),
                    FormField(
                        name: "unit_of_measure", label: "Unit of measure",
                        hint: "For example: falls per 1,000 bed days, % of patients."),
                    FormField(
                        name: "frequency", label: "Collected",
                        control: .select(every: DataFrequency.self),
                        isRequired: true),
                    FormField(
                        name: "chart_type", label: "Chart",
                        control: .select(
                            ChartType.allCases.map { .init(value: $0.rawValue, label: Describe.chartName($0)) }),
                        hint: "Start with a run chart; use a control chart once you have 15 or more points.",
                        isRequired: true),
                    FormField(
                        name: "rules", label: "Rules",
                        control: .select([
                            .init(value: "anhoej", label: "Anhøj (qicharts2)"),
                            .init(value: "mdc", label: "Making Data Count (NHS)"),
                            .init(value: "ihi", label: "IHI (Health Care Data Guide)"),
                            .init(value: "we", label: "Western Electric"),
                        ]), isRequired: true),
                    FormField(
                        name: "direction", label: "Better is",
                        control: .select([
                            .init(value: "up", label: "Higher"), .init(value: "down", label: "Lower"),
                            .init(value: "neutral", label: "Neither"),
                        ]), isRequired: true),
                    FormField(name: "target", label: "Target", control: .number),
                    FormField(
                        name: "multiply", label: "Multiply values by", control: .number,
                        hint: "100 to show proportions as percentages."),
                ],
                submitLabel: model.isEdit ? "Save changes" : "Add measure", cancelURL: model.cancelURL
            ).page(model.isEdit ? "Change “\(model.ownerName)”" : "Add a measure to \(model.ownerName)")
        }
    }
}

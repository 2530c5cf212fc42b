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
        /// The organisation's standard measure, rather than one team's or unit's measure: no key,
        /// since its data are entered on the measures made from it.
        var isStandard = false
        /// The standard measure this measure is (or is being) made from: its definition is the
        /// standard's, so only the name and key are typed.
        var following: Following? = nil
        /// On a new measure's form, the standard measures it may start from instead.
        var standards: [PageContext.Link] = []
    }

    struct Following: Sendable, Equatable {
        let id: UUID
        let name: String
        let version: Int
        let definition: String
        /// Carried by the form of a new measure, which names the standard it is made from.
        var isNew = false
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String {
            switch (model.isStandard, model.isEdit) {
            case (true, true): "Change a standard measure"
            case (true, false): "Add a standard measure"
            case (false, true): "Change a measure"
            case (false, false): "Add a measure"
            }
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .if(
                    !model.standards.isEmpty,
                    .section(
                        .class("standards"),
                        .h2(.text("Start from a standard measure")),
                        .p(
                            .text(
                                "Defined once for the whole organisation: measures made from one are counted alike everywhere, and compared."
                            )),
                        .ul(.forEach(model.standards) { .li(.a(.href($0.url), .text($0.label))) }))),
                form())
        }

        private func form() -> Node<HTML.BodyContext> {
            guard let following = model.following else { return definitionForm() }
            return FormView(
                action: model.action, csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(
                        name: "name", label: "Name", hint: "What the team calls it; the definition is the standard’s.",
                        isRequired: true),
                    FormField(
                        name: "key", label: "Key for bulk data",
                        hint:
                            "Optional. A stable name a CSV upload or a data warehouse uses for this measure, like ward-7.falls; unique across the organisation."
                    ),
                ],
                submitLabel: model.isEdit ? "Save changes" : "Add measure", cancelURL: model.cancelURL,
                hiddenFields: following.isNew ? ["standard_id": following.id.uuidString] : [:]
            ).page(
                heading,
                lead: .p(
                    .class("lead"),
                    .text("Made from the standard measure "),
                    .a(
                        .href(SiteURL.standardMeasures(.show(.value(following.id))).relativeURL()),
                        .text("“\(following.name)”")),
                    .text(", version \(following.version): \(following.definition)")))
        }

        private func definitionForm() -> Node<HTML.BodyContext> {
            FormView(
                action: model.action, csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(
                        name: "name", label: "Name", hint: "For example: Falls per 1,000 bed days.",
                        isRequired: true)
                ]
                    + (model.isStandard
                        ? []
                        : [
                            FormField(
                                name: "key", label: "Key for bulk data",
                                hint:
                                    "Optional. A stable name a CSV upload or a data warehouse uses for this measure, like ward-7.falls; unique across the organisation."
                            )
                        ])
                    + [
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
                            control: .select(every: RuleSet.self), isRequired: true),
                        FormField(
                            name: "direction", label: "Better is",
                            control: .select(every: ImprovementDirection.self), isRequired: true),
                        FormField(name: "target", label: "Target", control: .number),
                        FormField(
                            name: "multiply", label: "Multiply values by", control: .number,
                            hint: "100 to show proportions as percentages."),
                    ],
                submitLabel: model.isEdit ? "Save changes" : "Add measure", cancelURL: model.cancelURL
            ).page(heading)
        }

        private var heading: String {
            switch (model.isStandard, model.isEdit) {
            case (true, false): "Add a standard measure"
            case (_, true): "Change “\(model.ownerName)”"
            case (false, false): "Add a measure to \(model.ownerName)"
            }
        }
    }
}

import Foundation
import Plot

extension DriverDiagramPage {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Driver diagram — \(model.ownerName)" }

        override func breadcrumbs() -> [PageContext.Link] { model.breadcrumbs }

        private var diagram: DriverDiagram { model.diagram }

        private var lead: String {
            switch model.ownerKind {
            case .project:
                "What drives the aim, and the ideas the team will test to move it. Read it left to right; a change idea may act on several drivers."
            case .programme:
                "The programme’s theory of change: what drives its aim, and the change package of ideas its teams adapt and test. Read it left to right."
            case .plan:
                "What the unit will achieve this year and what drives it. Link the projects, programmes and measures serving each box from the plan’s page."
            }
        }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Driver diagram",
                    lead: lead
                ),
                .unwrap(model.problem) {
                    .div(
                        .class("error-summary"), .attribute(named: "role", value: "alert"),
                        .h2(.text("There is a problem")), .p(.text($0)))
                },
                .chart(model.svg, kind: "driver-diagram"),
                .section(
                    .id("outline"),
                    .h2(.text("Outline")),
                    .p(.strong(.text("Aim: ")), .text(diagram.aim)),
                    diagram.primaries.isEmpty
                        ? .p(.class("empty"), .text("No drivers yet."))
                        : .ul(.class("outline"), .forEach(diagram.primaries) { primaryItem($0) }),
                    .if(
                        !orphanIdeas.isEmpty,
                        .group(.h3(.text("Change ideas")), .ul(.forEach(orphanIdeas) { ideaItem($0) })))
                ),
                .if(model.canEdit, editors())
            )
        }

        /// Ideas reached from no remaining driver (only possible through the API's history); still shown.
        private var orphanIdeas: [DriverDiagram.IdeaBox] {
            let known = Set(diagram.drivers.map(\.id))
            return diagram.ideas.filter { !$0.driverIDs.contains(where: known.contains) }
        }

        private func primaryItem(_ primary: DriverDiagram.DriverBox) -> Node<HTML.ListContext> {
            let secondaries = diagram.secondaries.filter { $0.primaryIDs.contains(primary.id) }
            let ideas = diagram.ideas.filter { $0.driverIDs.contains(primary.id) }
            return .li(
                .span(.class("tag"), .text("Primary")), .text(" \(primary.text)"), driverEditor(primary),
                .if(
                    !secondaries.isEmpty || !ideas.isEmpty,
                    .ul(
                        .forEach(secondaries) { secondaryItem($0) },
                        .forEach(ideas) { ideaItem($0) }
                    ))
            )
        }

        private func secondaryItem(_ secondary: DriverDiagram.DriverBox) -> Node<HTML.ListContext> {
            let ideas = diagram.ideas.filter { $0.driverIDs.contains(secondary.id) }
            return .li(
                .span(.class("tag"), .text("Secondary")), .text(" \(secondary.text)"), driverEditor(secondary),
                .if(!ideas.isEmpty, .ul(.forEach(ideas) { ideaItem($0) }))
            )
        }

        private func ideaItem(_ idea: DriverDiagram.IdeaBox) -> Node<HTML.ListContext> {
            .li(
                .span(.class("tag"), .text("Change idea")), .text(" \(idea.title)"),
                .unwrap(idea.summary) { .span(.class("hint"), .text(" — \($0)")) },
                .unwrap(adaptedFrom(idea)) { .span(.class("tag"), .text("Adapts “\($0.title)”")) },
                .if(
                    model.ownerKind == .programme,
                    .span(.class("hint"), .text(" · \(adaptedBy(idea))"))),
                ideaEditor(idea)
            )
        }

        private func adaptedFrom(_ idea: DriverDiagram.IdeaBox) -> DriverDiagram.IdeaBox? {
            idea.adaptedFromID.flatMap { id in model.package.first { $0.id == id } }
        }

        private func adaptedBy(_ idea: DriverDiagram.IdeaBox) -> String {
            switch model.adaptations[idea.id] ?? 0 {
            case 0: "no team adapts it yet"
            case 1: "adapted by 1 team"
            case let teams: "adapted by \(teams) teams"
            }
        }

        private var primaryOptions: [FormField.Option] {
            diagram.primaries.map { .init(value: $0.id.uuidString, label: $0.text) }
        }

        private var driverOptions: [FormField.Option] {
            diagram.drivers.map { .init(value: $0.id.uuidString, label: "\($0.text) (\($0.level.rawValue))") }
        }

        private func state(for id: UUID, _ fallback: FormState) -> FormState {
            model.editing?.id == id ? model.editing!.form : fallback
        }

        private func driverEditor(_ driver: DriverDiagram.DriverBox) -> Node<HTML.BodyContext> {
            guard model.canEdit else { return .empty }
            var fields = [FormField(name: "text", label: "Driver", isRequired: true)]
            if driver.level == .secondary {
                fields.append(
                    FormField(
                        name: "primary_ids", label: "Primary drivers it moves", control: .checkboxes(primaryOptions),
                        isRequired: true))
            }
            let form = FormView(
                action: model.url(.updateDriver(.value(driver.id))),
                csrfToken: context.csrfToken,
                state: state(
                    for: driver.id,
                    FormState(
                        values: ["text": driver.text, "version": String(driver.version)],
                        selected: ["primary_ids": Set(driver.primaryIDs.map(\.uuidString))])),
                fields: fields, submitLabel: "Save driver", anchor: "driver-\(driver.id.uuidString.lowercased())")
            return .div(
                .class("box-editor"),
                form.disclosed("Edit"),
                .postButton(
                    "Remove",
                    to: model.url(.removeDriver(.value(driver.id))),
                    csrfToken: context.csrfToken, style: "button secondary small"))
        }

        private func ideaEditor(_ idea: DriverDiagram.IdeaBox) -> Node<HTML.BodyContext> {
            guard model.canEdit else { return .empty }
            let form = FormView(
                action: model.url(.updateChangeIdea(.value(idea.id))),
                csrfToken: context.csrfToken,
                state: state(
                    for: idea.id,
                    FormState(
                        values: [
                            "title": idea.title, "description": idea.summary ?? "",
                            "adapted_from_id": idea.adaptedFromID?.uuidString ?? "", "version": String(idea.version),
                        ],
                        selected: ["driver_ids": Set(idea.driverIDs.map(\.uuidString))])),
                fields: ideaFields, submitLabel: "Save change idea", anchor: "idea-\(idea.id.uuidString.lowercased())")
            return .div(
                .class("box-editor"),
                form.disclosed("Edit"),
                .postButton(
                    "Remove",
                    to: model.url(.removeChangeIdea(.value(idea.id))),
                    csrfToken: context.csrfToken, style: "button secondary small"))
        }

        private var ideaFields: [FormField] {
            [
                FormField(name: "title", label: "Change idea", isRequired: true),
                FormField(name: "description", label: "Description", control: .textarea(rows: 2)),
                FormField(
                    name: "driver_ids", label: "Drivers it acts on", control: .checkboxes(driverOptions),
                    isRequired: true),
            ]
                + (model.package.isEmpty
                    ? []
                    : [
                        FormField(
                            name: "adapted_from_id", label: "The programme’s change idea it adapts",
                            control: .select(
                                [FormField.Option(value: "", label: "None: the team’s own idea")]
                                    + model.package.map { .init(value: $0.id.uuidString, label: $0.title) }),
                            hint: "So the programme sees where each of its ideas is tested and adopted.")
                    ])
        }

        private func editors() -> Node<HTML.BodyContext> {
            let addDriver = model.url(.addDriver)
            return .section(
                .id("edit"),
                .h2(.text("Build the diagram")),
                FormView(
                    action: addDriver, csrfToken: context.csrfToken, state: model.primaryForm,
                    fields: [
                        FormField(
                            name: "text", label: "Primary driver",
                            hint: "One of the few big things that most affect the aim, e.g. “Safe mobility”.",
                            isRequired: true)
                    ],
                    submitLabel: "Add primary driver", hiddenFields: ["level": DriverLevel.primary.rawValue],
                    anchor: "add-primary"
                ).disclosed("Add a primary driver"),
                .if(
                    !diagram.primaries.isEmpty || !model.secondaryForm.errors.isEmpty,
                    FormView(
                        action: addDriver, csrfToken: context.csrfToken, state: model.secondaryForm,
                        fields: [
                            FormField(
                                name: "text", label: "Secondary driver",
                                hint:
                                    "A part of the system that moves a primary driver, e.g. “Access to walking aids”.",
                                isRequired: true),
                            FormField(
                                name: "primary_ids", label: "Primary drivers it moves",
                                control: .checkboxes(primaryOptions), isRequired: true),
                        ],
                        submitLabel: "Add secondary driver", hiddenFields: ["level": DriverLevel.secondary.rawValue],
                        anchor: "add-secondary"
                    ).disclosed("Add a secondary driver")),
                .if(
                    !diagram.drivers.isEmpty || !model.ideaForm.errors.isEmpty,
                    FormView(
                        action: model.url(.addChangeIdea),
                        csrfToken: context.csrfToken, state: model.ideaForm, fields: ideaFields,
                        submitLabel: "Add change idea", anchor: "add-idea"
                    ).disclosed("Add a change idea"))
            )
        }
    }
}

import Foundation
import Plot

/// The proposal form: what matters and to whom, the problem, a measurable aim in three parts, the
/// unit and priorities; with projects like it from across the organisation beside it.
enum ProjectForm {
    struct Model: Sendable, Equatable {
        var projectID: UUID?
        var projectTitle: String?
        var form: FormState
        var unitOptions: [FormField.Option]
        var priorities: [FormField.Option]
        var similar: [ProjectRow]
        /// The programmes it may join (those taking teams, and its own).
        var programmes: [FormField.Option] = []
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String {
            model.projectID == nil ? "Propose a project" : "Edit \(model.projectTitle ?? "project")"
        }

        override func breadcrumbs() -> [PageContext.Link] {
            .project(model.projectID, named: model.projectTitle)
        }

        override func content() -> Node<HTML.BodyContext> {
            let (action, cancel) = SiteURL.Projects.form(editing: model.projectID)
            return .div(
                .class("with-aside"),
                .div(
                    .class("narrow"),
                    .heading(
                        pageTitle(),
                        lead:
                            "Start from what matters to the people who use or deliver the service. A draft is saved for you; submit it to your forum when the team is ready."
                    ),
                    .postForm(
                        action: action, csrfToken: context.csrfToken,
                        .data(named: "similar", value: SiteURL.projects(.similar).relativeURL()),
                        .errorSummary(model.form.errors),
                        .if(!model.form["version"].isEmpty, .hiddenField("version", model.form["version"])),
                        .formField(
                            FormField(
                                name: "title", label: "Title",
                                hint: "A few words a colleague would recognise, e.g. “Fewer falls on Willow Ward”.",
                                isRequired: true), state: model.form),
                        .formField(
                            FormField(
                                name: "unit_id", label: "Unit",
                                control: .select([.init(value: "", label: "Choose…")] + model.unitOptions),
                                isRequired: true), state: model.form),
                        .formField(
                            FormField(
                                name: "what_matters", label: "What matters, and to whom?", control: .textarea(rows: 3),
                                hint: "In the words of service users, carers or staff: why this matters to them.",
                                isRequired: true), state: model.form),
                        .formField(
                            FormField(
                                name: "problem", label: "The problem", control: .textarea(rows: 4),
                                hint: "What happens now, how often, and what you know of why.", isRequired: true),
                            state: model.form),
                        .element(
                            named: "fieldset",
                            nodes: [
                                .class("aim"),
                                .element(named: "legend", text: "Aim: what, how much, by when"),
                                .p(
                                    .class("hint"),
                                    .text(
                                        "A measurable aim says what will improve, by how much, and by when, e.g. “Reduce falls on Willow Ward | by 30% | by 31 March 2027”."
                                    )),
                                .formField(
                                    FormField(name: "aim_what", label: "What will improve", isRequired: true),
                                    state: model.form),
                                .formField(
                                    FormField(
                                        name: "aim_how_much", label: "How much",
                                        hint: "With a number: “by 30%”, “from 12 to 6 a month”.", isRequired: true),
                                    state: model.form),
                                .formField(
                                    FormField(name: "aim_by_when", label: "By when", control: .date, isRequired: true),
                                    state: model.form),
                            ]),
                        .formField(
                            FormField(
                                name: "partner_organisations", label: "Partner organisations",
                                hint:
                                    "Organisations outside the trust working with you, e.g. the local council or a service-user charity.",
                                autocomplete: "off"), state: model.form),
                        .formField(
                            FormField(
                                name: "priority_ids", label: "Strategic priorities it serves",
                                control: .checkboxes(model.priorities)),
                            state: model.form),
                        .if(
                            !model.programmes.isEmpty,
                            .formField(
                                FormField(
                                    name: "programme_id", label: "Part of a programme",
                                    control: .select(
                                        [.init(value: "", label: "Not part of a programme")] + model.programmes),
                                    hint:
                                        "A team joining a collaborative proposes its project for the programme; its forum approves it as any other, and the team then counts the programme’s standard measures."
                                ), state: model.form)),
                        .div(
                            .class("form-actions"),
                            .button(
                                .type(.submit), .class("button"),
                                .text(model.projectID == nil ? "Save draft" : "Save changes")),
                            .a(.class("button secondary"), .href(cancel), .text("Cancel"))
                        )
                    )
                ),
                .aside(
                    .class("similar-projects"), .attribute(named: "aria-live", value: "polite"),
                    .h2(.text("Projects like this one")),
                    model.similar.isEmpty
                        ? .p(
                            .class("empty"),
                            .text(
                                "Projects across the organisation with a similar title, problem or aim will show here, so you can build on what they learned."
                            ))
                        : .ul(
                            .forEach(model.similar) { similar in
                                .li(
                                    .a(.href(similar.url), .text(similar.title)),
                                    .span(.class("path"), .text(" \(similar.unitPath) · \(similar.status.label)"))
                                )
                            })
                ),
                .script(.src("/similar-projects.js"), .defer())
            )
        }
    }
}

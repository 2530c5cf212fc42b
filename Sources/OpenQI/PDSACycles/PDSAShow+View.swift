import Foundation
import Plot

extension PDSAShow {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "PDSA \(model.number) · \(model.ideaTitle)" }

        override func breadcrumbs() -> [PageContext.Link] {
            .project(model.projectID, named: model.projectTitle)
        }

        private func day(_ date: Date) -> String { CalendarDay.label(date) }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .pageHeading(
                    .h1(
                        .text(pageTitle()),
                        .span(.class("tag pdsa-\(model.status.rawValue)"), .text(model.status.label)))
                ),
                // A form that is no longer shown (the cycle moved on meanwhile) reports its problem here.
                .errorSummary(
                    (model.status == .planned ? [] : model.startForm.errors)
                        + (model.status == .running ? [] : model.recordForm.errors + model.actForm.errors)),
                rampNavigation(),
                .section(
                    .id("plan"),
                    .h2(.text("Plan")),
                    .dl(
                        .class("details"),
                        .dt(.text("Objective")), .dd(.text(model.objective)),
                        .dt(.text("Question")), .dd(.text(model.question)),
                        .dt(.text("Prediction")), .dd(.text(model.prediction)),
                        .dt(.text("Who")), .dd(.text(model.who)),
                        .dt(.text("What")), .dd(.text(model.what)),
                        .dt(.text("Where")), .dd(.text(model.place)),
                        .dt(.text("When")),
                        .dd(.text(day(model.plannedStart) + (model.plannedEnd.map { " to \(day($0))" } ?? ""))),
                        .dt(.text("Measures to watch")),
                        .dd(.text(model.watched.isEmpty ? "None" : model.watched.map(\.name).joined(separator: "; ")))
                    ),
                    .if(
                        model.canEdit && model.status == .planned,
                        .div(
                            .class("actions"),
                            .a(
                                .class("button secondary"),
                                .href(SiteURL.cycles(.editPlan(.value(model.id))).relativeURL()),
                                .text("Edit the plan"))))
                ),
                startSection(),
                doStudySection(),
                actSection(),
                .if(
                    !model.watched.isEmpty,
                    .section(
                        .id("charts"),
                        .h2(.text("The data")),
                        .div(
                            .class("measure-grid"),
                            .forEach(model.watched) { chart in
                                .a(.href(SiteURL.measures(.show(.value(chart.id))).relativeURL()), .raw(chart.svg))
                            })))
            )
        }

        private func rampNavigation() -> Node<HTML.BodyContext> {
            .element(
                named: "nav",
                nodes: [
                    .class("ramp"), .attribute(named: "aria-label", value: "Cycles testing this change idea"),
                    .text("Ramp for “\(model.ideaTitle)”: "),
                    .ol(
                        .forEach(model.ramp) { step in
                            .li(
                                step.id == model.id
                                    ? .strong(.attribute(named: "aria-current", value: "page"), .text(label(step)))
                                    : .a(
                                        .href(SiteURL.cycles(.show(.value(step.id))).relativeURL()), .text(label(step)))
                            )
                        }),
                ])
        }

        private func label(_ step: RampStep) -> String {
            // A complete cycle without a decision ended when its project closed.
            let state =
                step.decision?.shortLabel ?? (step.status == .complete ? "ended" : step.status.label.lowercased())
            return "PDSA \(step.number) (\(state))"
        }

        private func startSection() -> Node<HTML.BodyContext> {
            guard model.status == .planned else {
                return .p(.class("hint"), .text(model.startedOn.map { "Started on \(day($0))." } ?? ""))
            }
            guard model.canEdit else { return .p(.class("empty"), .text("Not started yet.")) }
            return .section(
                .id("start"),
                .h2(.text("Start the cycle")),
                FormView(
                    action: SiteURL.cycles(.start(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                    state: model.startForm,
                    fields: [
                        FormField(name: "started_on", label: "Started on", control: .date, isRequired: true),
                        FormField(
                            name: "annotate", label: "Charts",
                            control: .checkboxes([
                                .init(value: "yes", label: "Mark the start on the charts of the measures it watches")
                            ])),
                    ],
                    submitLabel: "Start the cycle", anchor: "start-form"
                ).node
            )
        }

        private func doStudySection() -> Node<HTML.BodyContext> {
            .group(
                .section(
                    .id("do"), .h2(.text("Do")),
                    .p(
                        .text(
                            model.doNotes ?? (model.status == .planned ? "Not started yet." : "Nothing recorded yet.")))
                ),
                .section(
                    .id("study"), .h2(.text("Study")),
                    .p(.text(model.studyNotes ?? "What the data showed against the prediction: not recorded yet."))),
                .if(
                    model.canEdit && model.status == .running,
                    FormView(
                        action: SiteURL.cycles(.record(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                        state: model.recordForm,
                        fields: [
                            FormField(
                                name: "do_notes", label: "Do: what happened", control: .textarea(rows: 3),
                                hint: "Including what did not go to plan."),
                            FormField(
                                name: "study_notes", label: "Study: what the data showed against the prediction",
                                control: .textarea(rows: 3)),
                        ],
                        submitLabel: "Save Do and Study", anchor: "study-form"
                    ).disclosed("Record Do and Study"))
            )
        }

        private func actSection() -> Node<HTML.BodyContext> {
            if let decision = model.decision {
                return .section(
                    .id("act"), .h2(.text("Act")),
                    .p(.strong(.text(decision.label))),
                    .unwrap(model.actNotes) { .p(.text($0)) },
                    .if(
                        model.canEdit && decision != .abandon,
                        .a(
                            .class("button secondary"),
                            .href(
                                SiteURL.projects(.newCycle(.value(model.projectID))).relativeURL(query: [
                                    ("after", model.id.uuidString)
                                ])),
                            .text("Plan the next cycle on this ramp")))
                )
            }
            if model.status == .complete {
                return .section(
                    .id("act"), .h2(.text("Act")),
                    .p(.strong(.text("No decision: the cycle ended with its project."))),
                    .unwrap(model.actNotes) { .p(.text($0)) })
            }
            guard model.canEdit, model.status == .running else { return .empty }
            return .section(
                .id("act"), .h2(.text("Act")),
                FormView(
                    action: SiteURL.cycles(.act(.value(model.id))).relativeURL(), csrfToken: context.csrfToken,
                    state: model.actForm,
                    fields: [
                        FormField(
                            name: "decision", label: "Decision",
                            control: .select(every: PDSADecision.self, none: "Choose…"),
                            isRequired: true),
                        FormField(
                            name: "act_notes", label: "What happens next", control: .textarea(rows: 3),
                            isRequired: true),
                    ],
                    submitLabel: "Record the decision", anchor: "act-form"
                ).node
            )
        }
    }
}

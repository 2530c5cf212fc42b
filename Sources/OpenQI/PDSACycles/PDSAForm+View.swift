import Foundation
import Plot

/// The plan of a PDSA cycle: a new cycle on a change idea's ramp, or an edit before it starts.
enum PDSAForm {
    struct Model: Sendable, Equatable {
        var projectID: UUID
        var projectTitle: String
        /// The cycle whose plan is edited; nil when planning a new one.
        var cycleID: UUID?
        var cycleName: String?
        var form: FormState
        var ideaOptions: [FormField.Option]
        var measureOptions: [FormField.Option]
    }

    final class View: ModelPage<Model> {
        override func pageTitle() -> String {
            model.cycleName.map { "Edit the plan of \($0)" } ?? "Plan a PDSA cycle"
        }

        override func breadcrumbs() -> [PageContext.Link] {
            var crumbs: [PageContext.Link] = .project(model.projectID, named: model.projectTitle)
            if let id = model.cycleID, let name = model.cycleName {
                crumbs.append(.init(label: name, url: SiteURL.cycles(.show(.value(id))).relativeURL()))
            }
            return crumbs
        }

        override func content() -> Node<HTML.BodyContext> {
            let action =
                model.cycleID.map { SiteURL.cycles(.updatePlan(.value($0))).relativeURL() }
                ?? SiteURL.projects(.planCycle(.value(model.projectID))).relativeURL()
            let cancel =
                model.cycleID.map { SiteURL.cycles(.show(.value($0))).relativeURL() }
                ?? SiteURL.projects(.show(.value(model.projectID))).relativeURL() + "#change-ideas"
            var fields: [FormField] = []
            if model.cycleID == nil {
                fields.append(
                    FormField(
                        name: "change_idea_id", label: "Change idea to test",
                        control: .select([.init(value: "", label: "Choose…")] + model.ideaOptions), isRequired: true))
            }
            fields += [
                FormField(
                    name: "objective", label: "Objective", control: .textarea(rows: 2),
                    hint: "What this cycle is for, e.g. “Test a falls huddle at one handover”.", isRequired: true),
                FormField(
                    name: "question", label: "Question", control: .textarea(rows: 2),
                    hint: "What do we want to learn? “Can the night team run the huddle in 5 minutes?”",
                    isRequired: true),
                FormField(
                    name: "prediction", label: "Prediction", control: .textarea(rows: 2),
                    hint: "What we expect to happen, so the Study can compare.", isRequired: true),
                FormField(name: "who", label: "Who", hint: "Who will carry it out.", isRequired: true),
                FormField(name: "what", label: "What", control: .textarea(rows: 2), isRequired: true),
                FormField(name: "where", label: "Where", isRequired: true),
                FormField(name: "planned_start", label: "When: start", control: .date, isRequired: true),
                FormField(name: "planned_end", label: "When: end", control: .date),
                FormField(
                    name: "measure_ids", label: "Measures to watch", control: .checkboxes(model.measureOptions),
                    hint: model.measureOptions.isEmpty
                        ? "The project has no measures yet; add one to watch its chart during the cycle." : nil),
            ]
            return .group(
                .heading(
                    pageTitle(),
                    lead:
                        "Plan, Do, Study, Act: start small (one patient, one shift), predict what will happen, and let the data show what did."
                ),
                FormView(
                    action: action, csrfToken: context.csrfToken, state: model.form, fields: fields,
                    submitLabel: model.cycleID == nil ? "Plan the cycle" : "Save the plan", cancelURL: cancel
                ).node
            )
        }
    }
}

import Foundation
import Plot

/// The chair's form for a decision on one project, the same on a meeting's agenda and on the
/// project's page: the decision first, then only what that decision needs.
struct ForumDecisionForm: Sendable {
    let projectID: UUID
    /// The meeting the decision is taken at; none when the chair decides from the project's page.
    let meetingID: UUID?
    let choices: ForumDecisionChoices
    let state: FormState
    let csrfToken: String

    /// Unique per project, so an agenda's forms never share an element id, and a form that comes
    /// back with errors opens scrolled to itself.
    static func anchor(for projectID: UUID) -> String { "decision-\(projectID.uuidString.lowercased())" }

    var node: Node<HTML.BodyContext> {
        let approving = FormField.Condition(field: "decision", values: [ForumDecisionKind.approve.rawValue])
        let deferring = FormField.Condition(field: "decision", values: [ForumDecisionKind.defer.rawValue])
        return FormView(
            action: SiteURL.projects(.decide(.value(projectID))).relativeURL(), csrfToken: csrfToken,
            state: state,
            fields: [
                FormField(
                    name: "decision", label: "Decision",
                    control: .radios(
                        ForumDecisionKind.allCases.map { .init(value: $0.rawValue, label: $0.choiceLabel) }),
                    isRequired: true),
                appointment("coach_id", "QI coach", noun: "QI coach", options: choices.coaches, when: approving),
                appointment("sponsor_id", "Sponsor", noun: "sponsor", options: choices.sponsors, when: approving),
                FormField(
                    name: "defer_until", label: "Deferred to", control: .date, isRequired: true,
                    shownWhen: deferring),
                FormField(
                    name: "reason", label: "Reason, or the changes needed", control: .textarea(rows: 2),
                    hint: "Needed to request changes or decline; the team sees it on the project’s page."),
            ],
            submitLabel: "Record decision",
            hiddenFields: meetingID.map { ["meeting_id": $0.uuidString] } ?? [:],
            anchor: Self.anchor(for: projectID)
        ).disclosed("Record the forum’s decision")
    }

    /// A person the forum appoints to approve: chosen from those who hold the role for the unit.
    private func appointment(
        _ name: String, _ label: String, noun: String, options: [FormField.Option],
        when condition: FormField.Condition
    ) -> FormField {
        FormField(
            name: name, label: label, control: .select([.init(value: "", label: "Choose…")] + options),
            hint: options.isEmpty
                ? "Nobody is a \(noun) for this project’s unit yet: grant the role on a person’s page."
                : "Each \(noun) for this project’s unit, with the active projects they already have.",
            isRequired: true, shownWhen: condition)
    }
}

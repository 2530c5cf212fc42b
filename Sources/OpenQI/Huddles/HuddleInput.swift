import Foundation
import Vapor

/// A huddle as the API sends it (`POST /api/v1/huddles`), and as the form's rows are read into.
struct HuddleInput: Content, Sendable {
    struct Issue: Content, Sendable {
        var description: String?
        var action: String?
        var owner_id: String?
        var action_due: String?
        /// The unit above the team's that the issue is passed to, if any.
        var escalate_to: String?
        var escalation_due: String?

        var isBlank: Bool {
            [description, action, owner_id, action_due, escalate_to, escalation_due]
                .allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        }
    }

    /// Only the API names the unit; the form's is in its address.
    var unit_id: String?
    var held_on: String?
    var kind: String?
    var attendees: String?
    var issues: [Issue]?

    /// The most issues one huddle records.
    static let maximumIssues = 20
}

/// What a huddle's issues may name: the people who may own an action and the units an issue may
/// be escalated to (those above the team's, in use).
struct HuddleChoices: Sendable, Equatable {
    let unitID: UUID
    let unitName: String
    let owners: [FormField.Option]
    let escalationTargets: [FormField.Option]
}

/// A huddle as its form or the API gives it, checked.
struct HuddleDraft: Sendable, Equatable {
    struct Action: Sendable, Equatable {
        let text: String
        let ownerID: UUID
        let due: CalendarDay
    }

    struct Escalation: Sendable, Equatable {
        let toUnitID: UUID
        let due: CalendarDay
    }

    struct Issue: Sendable, Equatable {
        let description: String
        let action: Action?
        let escalation: Escalation?
    }

    let heldOn: CalendarDay
    let kind: HuddleKind
    let attendees: String
    let issues: [Issue]
}

extension HuddleInput {
    /// Checks the huddle against what its unit offers. `field` names an issue's field in the
    /// errors: the form's `issue1_action`, the API's `issues[0].action`.
    func validate(
        choices: HuddleChoices, today: CalendarDay, field: (_ index: Int, _ name: String) -> String
    ) throws -> HuddleDraft {
        var validator = Validator()
        let heldOn = validator.day(held_on, field: "held_on", label: "the day of the huddle", required: true)
            .map(CalendarDay.init(containing:))
        if let heldOn, heldOn > today {
            validator.fail(
                "held_on", "Record a huddle once it has happened: \(heldOn.label) is still to come. Nothing was saved.")
        }
        let kind = validator.choice(kind, field: "kind", label: "the kind of huddle", as: HuddleKind.self)
        let attendees = validator.requiredText(
            attendees, field: "attendees", label: "who attended", maxLength: 2000)
        let given = issues ?? []
        if given.count > Self.maximumIssues {
            validator.fail("issues", "Record at most \(Self.maximumIssues) issues at one huddle.")
        }
        var drafts: [HuddleDraft.Issue] = []
        for (index, issue) in given.prefix(Self.maximumIssues).enumerated() where !issue.isBlank {
            // Each row's messages say which issue they are about: the form has several alike.
            var row = Validator()
            let draft = issue.validate(choices: choices, heldOn: heldOn, validator: &row, field: { field(index, $0) })
            for error in row.errors { validator.fail(error.field, "Issue \(index + 1): \(error.message)") }
            if let draft, row.errors.isEmpty { drafts.append(draft) }
        }
        return try validator.check(heldOn, kind) { heldOn, kind in
            HuddleDraft(heldOn: heldOn, kind: kind, attendees: attendees, issues: drafts)
        }
    }
}

extension HuddleInput.Issue {
    fileprivate func validate(
        choices: HuddleChoices, heldOn: CalendarDay?, validator: inout Validator, field: (String) -> String
    ) -> HuddleDraft.Issue? {
        let description = validator.requiredText(
            description, field: field("description"), label: "what the issue is", maxLength: 2000)
        let action = validator.optionalText(action, field: field("action"), label: "the action", maxLength: 2000)
        let owner = validator.identifier(owner_id, field: field("owner_id"), label: "owner", required: false)
        if action != nil, (owner_id ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            validator.fail(field("owner_id"), "Choose who owns the action.")
        }
        let due = validator.day(
            action_due, field: field("action_due"), label: "when the action is due", required: action != nil
        )
        .map(CalendarDay.init(containing:))
        if action == nil, owner != nil || due != nil {
            validator.fail(field("action"), "Say what the action is, or clear its owner and due day.")
        }
        if let owner, !choices.owners.contains(where: { $0.value == owner.uuidString }) {
            validator.fail(
                field("owner_id"), "Choose the action’s owner from the people of \(choices.unitName) in the list.")
        }
        if let due, let heldOn, due < heldOn {
            validator.fail(field("action_due"), "An action falls due on or after the huddle, not on \(due.label).")
        }
        let target = validator.identifier(
            escalate_to, field: field("escalate_to"), label: "unit", required: false)
        let escalationDue = validator.day(
            escalation_due, field: field("escalation_due"), label: "when the escalation needs an answer",
            required: target != nil
        ).map(CalendarDay.init(containing:))
        if let target, !choices.escalationTargets.contains(where: { $0.value == target.uuidString }) {
            validator.fail(
                field("escalate_to"),
                "An issue is escalated to a unit above \(choices.unitName): choose one from the list. Nothing was saved."
            )
        }
        if target == nil, escalationDue != nil {
            validator.fail(field("escalate_to"), "Choose the unit to escalate to, or clear the day it is due.")
        }
        if let escalationDue, let heldOn, escalationDue < heldOn {
            validator.fail(
                field("escalation_due"),
                "An escalation falls due on or after the huddle, not on \(escalationDue.label).")
        }
        guard !description.isEmpty else { return nil }
        return HuddleDraft.Issue(
            description: description,
            action: action.flatMap { text in
                owner.flatMap { owner in due.map { HuddleDraft.Action(text: text, ownerID: owner, due: $0) } }
            },
            escalation: target.flatMap { target in escalationDue.map { .init(toUnitID: target, due: $0) } })
    }
}

/// The huddle form's fields, flat (`issue1_description`, …), read into a `HuddleInput`.
struct HuddleFormInput: Sendable {
    /// The rows the form offers at first; "Add another issue" adds one, up to the API's limit.
    static let firstRows = 4
    static let issueFields = ["description", "action", "owner_id", "action_due", "escalate_to", "escalation_due"]

    let values: [String: String]

    static func name(_ row: Int, _ field: String) -> String { "issue\(row + 1)_\(field)" }

    /// The rows the form had, as it says (`rows`), bounded before anything counts with it.
    var rows: Int {
        min(HuddleInput.maximumIssues, max(Self.firstRows, Int(values["rows"] ?? "") ?? Self.firstRows))
    }

    /// The person asked for another row rather than to record the huddle.
    var wantsAnotherRow: Bool { values["more"] != nil && rows < HuddleInput.maximumIssues }

    var input: HuddleInput {
        HuddleInput(
            held_on: values["held_on"], kind: values["kind"], attendees: values["attendees"],
            issues: (0..<rows).map { row in
                HuddleInput.Issue(
                    description: values[Self.name(row, "description")], action: values[Self.name(row, "action")],
                    owner_id: values[Self.name(row, "owner_id")], action_due: values[Self.name(row, "action_due")],
                    escalate_to: values[Self.name(row, "escalate_to")],
                    escalation_due: values[Self.name(row, "escalation_due")])
            })
    }

    /// What was typed, to fill the form again.
    var formState: FormState {
        let names =
            ["held_on", "kind", "attendees"]
            + (0..<rows).flatMap { row in Self.issueFields.map { Self.name(row, $0) } }
        var state = FormState(values: Dictionary(uniqueKeysWithValues: names.map { ($0, values[$0] ?? "") }))
        state.values["rows"] = String(rows)
        return state
    }
}

/// The receiving unit's answer to an escalation, and whether it closes it.
struct EscalationResponseInput: Content, Sendable {
    var response: String?
    /// The "close it" box, ticked: `["yes"]` (the form's checkbox group sends `close[]`).
    var close: [String]?

    var formState: FormState {
        FormState(values: ["response": response ?? ""], selected: ["close": Set(close ?? [])])
    }

    struct Valid: Sendable, Equatable {
        /// Nil when an escalation answered already is closed with the answer it has.
        let response: String?
        let closes: Bool
    }

    /// `answered`: the escalation has a response already, which a closing may keep.
    func validate(answered: Bool) throws -> Valid {
        var validator = Validator()
        let closes = (close ?? []).contains("yes")
        let text =
            answered && closes
            ? validator.optionalText(response, field: "response", label: "the response", maxLength: 4000)
            : validator.requiredText(response, field: "response", label: "the response", maxLength: 4000)
        try validator.check()
        return Valid(response: text, closes: closes)
    }
}

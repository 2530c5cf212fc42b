import Foundation
import Vapor

/// The form that schedules a WalkRound: the team, the executive, the day.
struct WalkRoundScheduleInput: Content, Sendable {
    var unit_id: String?
    var executive_id: String?
    var planned_on: String?

    var formState: FormState {
        FormState(values: [
            "unit_id": unit_id ?? "", "executive_id": executive_id ?? "", "planned_on": planned_on ?? "",
        ])
    }

    struct Valid: Sendable, Equatable {
        let unitID: UUID
        let executiveID: UUID
        let plannedOn: CalendarDay
    }

    /// `teams`: the units a WalkRound may visit; `executives`: those who hold the role.
    func validate(teams: [FormField.Option], executives: [FormField.Option], today: CalendarDay) throws -> Valid {
        var validator = Validator()
        let unit = validator.identifier(unit_id, field: "unit_id", label: "team", required: true)
        if let unit, !teams.contains(where: { $0.value == unit.uuidString }) {
            validator.fail("unit_id", "Choose the team to visit from the list: a team, ward or service in use.")
        }
        let executive = validator.identifier(executive_id, field: "executive_id", label: "executive", required: true)
        if let executive, !executives.contains(where: { $0.value == executive.uuidString }) {
            validator.fail("executive_id", "Choose the executive from the list of people who hold the role.")
        }
        let day = validator.day(planned_on, field: "planned_on", label: "the day of the visit", required: true)
            .map(CalendarDay.init(containing:))
        if let day, day < today.adding(days: -366) || day > today.adding(days: 366) {
            validator.fail("planned_on", "Schedule a visit within a year of today, not on \(day.label).")
        }
        return try validator.check(unit, executive, day) { Valid(unitID: $0, executiveID: $1, plannedOn: $2) }
    }
}

/// What a WalkRound heard, as its form sends it: the day, the four answers and up to
/// `actionRows` follow-ups (`action1`, `action1_owner_id`, `action1_due_on`, …).
struct WalkRoundRecordInput: Sendable {
    static let actionRows = 3
    static let actionFields = ["", "_owner_id", "_due_on"]

    let values: [String: String]

    static func name(_ row: Int, _ suffix: String) -> String { "action\(row + 1)\(suffix)" }

    var formState: FormState {
        let names =
            ["held_on"] + WalkRound.questions.map(\.field)
            + (0..<Self.actionRows).flatMap { row in Self.actionFields.map { Self.name(row, $0) } }
        return FormState(values: Dictionary(uniqueKeysWithValues: names.map { ($0, values[$0] ?? "") }))
    }

    struct Action: Sendable, Equatable {
        let text: String
        let ownerID: UUID
        let due: CalendarDay
    }

    struct Valid: Sendable, Equatable {
        let heldOn: CalendarDay
        /// By question field: `proud_of`, `improving`, `in_the_way`, `self_care`.
        let answers: [String: String]
        let actions: [Action]
    }

    /// `owners`: who may own a follow-up (the team's people and the executive).
    func validate(owners: [FormField.Option], today: CalendarDay) throws -> Valid {
        var validator = Validator()
        let heldOn = validator.day(values["held_on"], field: "held_on", label: "the day of the visit", required: true)
            .map(CalendarDay.init(containing:))
        if let heldOn, heldOn > today {
            validator.fail("held_on", "Record a WalkRound once it has happened: \(heldOn.label) is still to come.")
        } else if let heldOn, heldOn < today.adding(days: -366) {
            validator.fail(
                "held_on", "Record a WalkRound held in the last year, not on \(heldOn.label): check the year.")
        }
        var answers: [String: String] = [:]
        for (field, question) in WalkRound.questions {
            answers[field] = validator.requiredText(
                values[field], field: field, label: "what the team said to “\(question)”", maxLength: 4000)
        }
        var actions: [Action] = []
        for row in 0..<Self.actionRows {
            let name = { Self.name(row, $0) }
            let filled = Self.actionFields.contains {
                !(values[name($0)] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            }
            guard filled else { continue }
            let text = validator.requiredText(
                values[name("")], field: name(""), label: "the follow-up", maxLength: 2000)
            let owner = validator.identifier(
                values[name("_owner_id")], field: name("_owner_id"), label: "owner", required: false)
            if (values[name("_owner_id")] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                validator.fail(name("_owner_id"), "Choose who owns the follow-up.")
            }
            if let owner, !owners.contains(where: { $0.value == owner.uuidString }) {
                validator.fail(
                    name("_owner_id"), "Choose the follow-up’s owner from the list: the team’s people or the executive."
                )
            }
            let due = validator.day(
                values[name("_due_on")], field: name("_due_on"), label: "when it is due", required: true
            )
            .map(CalendarDay.init(containing:))
            if let due, let heldOn, due < heldOn || due > heldOn.adding(days: 731) {
                validator.fail(
                    name("_due_on"),
                    "A follow-up falls due on or after the visit and within two years of it, not on \(due.label).")
            }
            if !text.isEmpty, let owner, let due { actions.append(Action(text: text, ownerID: owner, due: due)) }
        }
        return try validator.check(heldOn) { Valid(heldOn: $0, answers: answers, actions: actions) }
    }
}

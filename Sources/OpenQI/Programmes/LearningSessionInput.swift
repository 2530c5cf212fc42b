import Foundation
import Vapor

/// A learning session's day, place and agenda as typed into its form, before validation.
struct LearningSessionInput: Content, Sendable {
    var held_on: String?
    var place: String?
    var agenda: String?
    /// The version an edit began from.
    var version: Int? = nil

    var formState: FormState {
        FormState(values: [
            "held_on": held_on ?? "", "place": place ?? "", "agenda": agenda ?? "",
            "version": version.map(String.init) ?? "",
        ])
    }

    struct Valid: Sendable, Equatable {
        let heldOn: Date
        let place: String
        let agenda: String?
    }

    func validate() throws -> Valid {
        var validator = Validator()
        let day = validator.day(held_on, field: "held_on", label: "the day it is held", required: true)
        let place = validator.requiredText(place, field: "place", label: "where it is held", maxLength: 200)
        let agenda = validator.optionalText(agenda, field: "agenda", label: "the agenda", maxLength: 4000)
        return try validator.check(day) { Valid(heldOn: $0, place: place, agenda: agenda) }
    }
}

extension LearningSessionInput: VersionedInput {
    init(_ session: LearningSession) {
        self.init(
            held_on: CalendarDay.text(session.heldOn), place: session.place, agenda: session.agenda,
            version: session.version)
    }

    static let labels: [(field: String, label: String)] = [
        ("held_on", "Held on"), ("place", "Place"), ("agenda", "Agenda"),
    ]
}

/// A session's register as its form sends it: for each team (keyed by its project's id), the
/// people of the team who came (`attended[teamID][]`) and what the team will test before the next
/// session (`plans[teamID]`).
struct LearningSessionRegisterInput: Content, Sendable {
    var attended: [String: [String]]? = nil
    var plans: [String: String]? = nil
    /// The session's version the page showed.
    var version: Int? = nil

    static let maximumPlanLength = 2000

    var formState: FormState {
        var values = (plans ?? [:]).reduce(into: [String: String]()) { $0[Self.planField($1.key)] = $1.value }
        values["version"] = version.map(String.init) ?? ""
        let selected = (attended ?? [:]).reduce(into: [String: Set<String>]()) {
            $0[Self.attendanceField($1.key)] = Set($1.value)
        }
        return FormState(values: values, selected: selected)
    }

    /// The form's field for a team's attendance and for its plan.
    static func attendanceField(_ team: String) -> String { "attended[\(team)]" }
    static func planField(_ team: String) -> String { "plans[\(team)]" }

    struct Valid: Sendable, Equatable {
        /// Each team's people who came.
        let attended: [UUID: Set<UUID>]
        /// Each team's plan for the action period; teams with none are left out.
        let plans: [UUID: String]
    }

    /// Checks the register against the teams there are: `teams` gives each team's name and the
    /// people who may be marked as coming for it (its team members).
    func validate(teams: [UUID: (name: String, people: Set<UUID>)]) throws -> Valid {
        var validator = Validator()
        var attendedByTeam: [UUID: Set<UUID>] = [:]
        for (key, people) in attended ?? [:] {
            guard let team = UUID(uuidString: key), let known = teams[team] else {
                validator.fail("attended", "The register names a team that is not in the programme. Reload the page.")
                continue
            }
            let ids = Set(Validator.identifiers(people))
            if ids.count != Set(people).count || !ids.isSubset(of: known.people) {
                validator.fail(
                    Self.attendanceField(key), "Tick people from \(known.name)’s list: only its team members are on it."
                )
            }
            attendedByTeam[team] = ids.intersection(known.people)
        }
        var plansByTeam: [UUID: String] = [:]
        for (key, text) in plans ?? [:] {
            guard let team = UUID(uuidString: key), let known = teams[team] else {
                validator.fail("plans", "The register names a team that is not in the programme. Reload the page.")
                continue
            }
            if let plan = validator.optionalText(
                text, field: Self.planField(key), label: "\(known.name)’s plan", maxLength: Self.maximumPlanLength)
            {
                plansByTeam[team] = plan
            }
        }
        try validator.check()
        return Valid(attended: attendedByTeam.filter { !$0.value.isEmpty }, plans: plansByTeam)
    }
}

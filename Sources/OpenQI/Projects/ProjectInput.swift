import Fluent
import Foundation
import Vapor

/// A proposal as typed into the form or sent to the API, before validation.
struct ProjectInput: Content, Sendable {
    var title: String?
    var unit_id: String?
    var what_matters: String?
    var problem: String?
    var aim_what: String?
    var aim_how_much: String?
    var aim_by_when: String?
    var priority_ids: [String]?
    var partner_organisations: String?
    /// The programme the project is one team's part of; blank for none.
    var programme_id: String? = nil
    /// The version of the project the edit began from (a hidden field of the form; optional in
    /// the API, where it defaults to the version the request reads).
    var version: Int?

    var formValues: [String: String] {
        [
            "title": title ?? "", "unit_id": unit_id ?? "", "what_matters": what_matters ?? "",
            "problem": problem ?? "",
            "aim_what": aim_what ?? "", "aim_how_much": aim_how_much ?? "", "aim_by_when": aim_by_when ?? "",
            "partner_organisations": partner_organisations ?? "", "programme_id": programme_id ?? "",
            "version": version.map(String.init) ?? "",
        ]
    }
}

extension ProjectInput: VersionedInput {
    var formState: FormState { FormState(values: formValues, selected: ["priority_ids": Set(priority_ids ?? [])]) }

    static let labels: [(field: String, label: String)] = [
        ("title", "Title"), ("unit_id", "Unit"), ("what_matters", "What matters, and to whom?"),
        ("problem", "The problem"), ("aim_what", "Aim: what will improve"), ("aim_how_much", "Aim: by how much"),
        ("aim_by_when", "Aim: by when"), ("partner_organisations", "Partner organisations"),
        ("programme_id", "Part of a programme"),
    ]
}

/// A valid proposal, ready to save.
struct ProjectDraft: Sendable, Equatable {
    var title: String
    var unitID: UUID
    var whatMatters: String
    var problem: String
    var aimWhat: String
    var aimHowMuch: String
    var aimByWhen: Date
    var priorityIDs: [UUID]
    var partnerOrganisations: String?
    var programmeID: UUID? = nil
}

extension ProjectInput {
    init(_ project: Project) {
        self.init(
            title: project.title, unit_id: project.$unit.id.uuidString, what_matters: project.whatMatters,
            problem: project.problem, aim_what: project.aimWhat, aim_how_much: project.aimHowMuch,
            aim_by_when: CalendarDay.text(project.aimByWhen),
            priority_ids: project.$priorities.value?.compactMap { $0.id?.uuidString },
            partner_organisations: project.partnerOrganisations,
            programme_id: project.$programme.id?.uuidString, version: project.version
        )
    }

    /// Checks the proposal and guides towards a measurable aim: what, how much (with a number), by when.
    func validate(
        in tree: UnitTree, priorities: PriorityChoices, programmes: ProgrammeOffer, today: Date = AppClock.now
    ) throws -> ProjectDraft {
        var validator = Validator()
        let title = validator.requiredText(title, field: "title", label: "a title", maxLength: 160)
        let unitID = validator.identifier(
            unit_id, field: "unit_id", label: "the unit the project belongs to", required: true)
        let whatMatters = validator.requiredText(
            what_matters, field: "what_matters", label: "what matters, and to whom", maxLength: 4000)
        let problem = validator.requiredText(problem, field: "problem", label: "the problem", maxLength: 4000)
        let aimWhat = validator.requiredText(
            aim_what, field: "aim_what", label: "what the aim will improve", maxLength: 300)
        let aimHowMuch = validator.requiredText(
            aim_how_much, field: "aim_how_much", label: "how much it will improve", maxLength: 200)
        if !aimHowMuch.isEmpty, !aimHowMuch.contains(where: \.isNumber) {
            validator.fail(
                "aim_how_much",
                "Say how much with a number, for example “by 30%” or “from 12 to 6 a month”, so the aim can be measured."
            )
        }
        let byWhen = validator.day(
            aim_by_when, field: "aim_by_when", label: "the date by when the aim will be reached", required: true)
        if let byWhen, byWhen < today.addingTimeInterval(-24 * 3600) {
            validator.fail("aim_by_when", "The aim date has passed. Choose a date in the future.")
        }
        validator.unitInUse(unitID, field: "unit_id", in: tree)
        let priorityIDs = (priority_ids ?? []).filter { !$0.isEmpty }.compactMap { text -> UUID? in
            guard let id = UUID(uuidString: text) else {
                validator.fail("priority_ids", "“\(text)” is not a priority’s identifier. Choose one from the list.")
                return nil
            }
            if let refusal = priorities.refusal(of: id) {
                validator.fail("priority_ids", refusal)
                return nil
            }
            return id
        }
        let partners = validator.optionalText(
            partner_organisations, field: "partner_organisations", label: "the partner organisations", maxLength: 500)
        let programmeID = validator.identifier(
            programme_id, field: "programme_id", label: "the programme", required: false)
        if let programmeID, let refusal = programmes.refusal(of: programmeID) {
            validator.fail("programme_id", refusal)
        } else if programmeID == nil, let refusal = programmes.refusalToLeave {
            validator.fail("programme_id", refusal)
        }
        return try validator.check(unitID, byWhen) { unitID, byWhen in
            ProjectDraft(
                title: title, unitID: unitID, whatMatters: whatMatters, problem: problem, aimWhat: aimWhat,
                aimHowMuch: aimHowMuch, aimByWhen: byWhen, priorityIDs: priorityIDs, partnerOrganisations: partners,
                programmeID: programmeID)
        }
    }
}

import Fluent
import Foundation

/// Who a search for someone to add (to a project's team, to a programme) finds: people of the
/// organisation not already there, each with what tells namesakes apart (kind and unit), to choose
/// from. Only a search that names one person outright (their whole name, or an email address)
/// picks them without asking, so "ben.hughes" never silently means the staff member when the
/// service user was meant.
struct PersonCandidates: Sendable, Equatable {
    /// At most this many are offered; more asks for more of the name.
    static let limit = 20
    /// What was searched for, trimmed and cut to a bounded length.
    let search: String
    /// Everyone in the organisation matching, on the team or not.
    let matching: Int
    let choices: [FormField.Option]
    /// The one person the search names outright, when only one does.
    let named: UUID?
    /// Where those left out already are: "on the team".
    let already: String

    /// Searches the organisation `unitID` belongs to (everyone's, partner organisations too, when
    /// nil), leaving out `excluded` (who are `already` somewhere).
    static func find(
        _ text: String, near unitID: UUID?, excluding excluded: Set<UUID>, already: String, policy: Policy,
        on db: any Database
    ) async throws -> Self {
        let search = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        guard search.count >= 2 else {
            return .init(search: search, matching: 0, choices: [], named: nil, already: already)
        }
        let found = try await PersonIndex.Model.query(
            search: search, kind: nil, unitID: unitID.flatMap { policy.tree.selfAndAncestors(of: $0).last },
            includeArchived: false, page: 1, policy: policy, on: db)
        let rows = found.rows.filter { !excluded.contains($0.id) }
        // Whole names first, then names starting with what was typed, then the rest, each A–Z.
        let ranked = rows.enumerated().sorted {
            ($0.element.rank(for: search), $0.offset) < ($1.element.rank(for: search), $1.offset)
        }
        .map(\.element)
        let wholeNames = rows.filter { $0.rank(for: search) == 0 }
        let named =
            wholeNames.count == 1 ? wholeNames[0].id : rows.count == 1 && search.contains("@") ? rows[0].id : nil
        return .init(
            search: search, matching: found.total,
            choices: ranked.prefix(limit).map { .init(value: $0.id.uuidString, label: $0.choiceLabel) }, named: named,
            already: already)
    }

    /// Who a form adding someone names: the person chosen from its list (`chosen`), or else the one
    /// a search for `search` names outright. Records on `validator` why nobody was picked, and gives
    /// the people the search found, for the form to offer when it comes back.
    static func pick(
        chosen: String?, search: String?, validator: inout Validator,
        find: (String) async throws -> PersonCandidates
    ) async throws -> (personID: UUID?, choices: [FormField.Option]) {
        if let chosen, !chosen.isEmpty {
            return (validator.identifier(chosen, field: "person_id", label: "the person", required: true), [])
        }
        let candidates = try await find(search ?? "")
        if let refusal = candidates.refusal { validator.fail(refusal.field, refusal.message) }
        return (candidates.named, candidates.choices)
    }

    /// Who could join a project's team.
    static func find(_ text: String, for project: Project, policy: Policy, on db: any Database) async throws -> Self {
        try await find(
            text, near: project.$unit.id, excluding: Set(project.team.map(\.$person.id)), already: "on the team",
            policy: policy, on: db)
    }

    /// The field to explain the result beside, and what to say, when the search picked nobody.
    var refusal: FieldError? {
        guard named == nil else { return nil }
        if search.count < 2 {
            return FieldError(field: "person", message: "Type at least two letters of their name, unit or email.")
        }
        if matching == 0 {
            return FieldError(
                field: "person",
                message:
                    "No one on the People list matches “\(search)”. Check the spelling; a service user or carer not on the list can be invited instead."
            )
        }
        if choices.isEmpty {
            return FieldError(field: "person", message: "Everyone who matches “\(search)” is already \(already).")
        }
        let more = matching > choices.count ? " The first \(choices.count) are listed: type more to narrow them." : ""
        return FieldError(
            field: "person_id",
            message: (matching == 1 ? "1 person matches" : "\(matching) people match")
                + " “\(search)”. Choose who you mean.\(more)")
    }
}

extension PersonIndex.Row {
    /// 0 for a whole-name match, 1 for a name starting with the search, 2 for anything else.
    fileprivate func rank(for search: String) -> Int {
        if name.caseInsensitiveCompare(search) == .orderedSame { return 0 }
        return name.lowercased().hasPrefix(search.lowercased()) ? 1 : 2
    }

    /// "Ben Hughes — Service user, Trust › Adult Mental Health › Willow Ward"
    fileprivate var choiceLabel: String {
        "\(name) — \(kind.label)" + (unitPath.isEmpty ? "" : ", \(unitPath)")
    }
}

import Fluent
import Foundation
import Vapor

/// A unit's capability figures for a year, as `/capability` shows them.
struct CapabilityDTO: Content, Equatable {
    struct Line: Content, Equatable {
        let group: DosingGroup
        let level: CourseLevel
        let people: Int
        let have: Int
        /// Left out where the plan sets no number.
        let needed: Int?
        let gap: Int?
    }

    struct Month: Content, Equatable {
        let month: String
        let completed: Int
    }

    struct Year: Content, Equatable {
        let year: Int
        let completed: [String: Int]
    }

    struct NewStarter: Content, Equatable {
        let person_id: UUID
        let started_on: String
    }

    let unit_id: UUID
    let year: Int
    let lines: [Line]
    let completed_by_month: [Month]
    let completed_by_year: [Year]
    let practitioner_and_coach_completions: Int
    let partner_completions: Int
    let new_starters_without_introduction: Int
    /// The longest waiting first, at most 100.
    let new_starters: [NewStarter]

    init(_ figures: DosingFigures) {
        unit_id = figures.unitID
        year = figures.year
        lines = figures.lines.map {
            Line(group: $0.group, level: $0.level, people: $0.members, have: $0.have, needed: $0.needed, gap: $0.gap)
        }
        completed_by_month = figures.byMonth.map { Month(month: $0.month.text, completed: $0.count) }
        completed_by_year = figures.byYear.map { row in
            Year(year: row.year, completed: Dictionary(row.byLevel.map { ($0.key.rawValue, $0.value) }) { $1 })
        }
        practitioner_and_coach_completions = figures.practitionerAndCoachCompletions
        partner_completions = figures.partnerCompletions
        new_starters_without_introduction = figures.newStartersCount
        new_starters = figures.newStarters.map { NewStarter(person_id: $0.personID, started_on: $0.started.text) }
    }
}

enum CapabilityAPIController {
    /// `GET /api/v1/capability?unit=ID&year=YYYY`: the organisation this year unless they are given.
    @Sendable static func show(req: Request) async throws -> CapabilityDTO {
        let policy = try await req.policy(granting: .readOrganisation)
        let year = try req.yearParameter()
        guard let unitID = try req.capabilityUnit(in: policy.tree) else {
            throw ValidationFailure(field: "unit", message: "There is no organisation yet: name a unit.")
        }
        return CapabilityDTO(
            try await DosingFigures.cached(
                unitID: unitID, year: year, tree: policy.tree, today: AppClock.today,
                cache: try await req.cachedResults(), on: req.db))
    }
}

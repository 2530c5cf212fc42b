import Fluent
import Foundation
import SQLKit

/// People participation made visible: do completed projects with a service user or carer as a full
/// partner achieve their aim more often? (ELFT's look back at 500 projects found them 2.8 times as
/// likely to.) Each completed project whose result was recorded is placed by the highest
/// involvement of any service user or carer on its team; "achieved" means the aim was met in full.
struct InvolvementAnalysis: Sendable, Equatable {
    /// Completed projects, and how many of them achieved their aim in full.
    struct Tally: Sendable, Equatable {
        var completed = 0
        var achieved = 0

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(completed: a.completed + b.completed, achieved: a.achieved + b.achieved)
        }
    }

    /// How many times as likely projects with a full partner were to achieve their aim as those
    /// without, with its 95% confidence interval.
    struct Estimate: Sendable, Equatable {
        let ratio: Double
        let lower: Double
        let upper: Double
    }

    /// One group of projects (the whole unit, one part of it, one year), by involvement.
    struct Comparison: Sendable, Equatable {
        let label: String
        var byInvolvement: [ServiceUserInvolvement: Tally] = [:]

        var full: Tally { byInvolvement[.fullPartner] ?? Tally() }
        /// Occasional involvement or none.
        var others: Tally { (byInvolvement[.occasional] ?? Tally()) + (byInvolvement[.none] ?? Tally()) }
        var estimate: Estimate? { InvolvementAnalysis.relativeLikelihood(full, against: others) }

        mutating func count(_ tally: Tally, at involvement: ServiceUserInvolvement) {
            byInvolvement[involvement] = (byInvolvement[involvement] ?? Tally()) + tally
        }
    }

    let unitID: UUID
    let unitPath: String
    let overall: Comparison
    /// The parts directly below the unit (its directorates, for the organisation), by name; the
    /// unit's own projects last, when it has any.
    let byPart: [Comparison]
    /// By the year the projects closed, latest first.
    let byYear: [Comparison]

    /// The risk ratio a/n₁ ÷ c/n₀ with its 95% interval by Katz's log method: ln RR ± 1.96 ×
    /// √(1/a − 1/n₁ + 1/c − 1/n₀) (Katz, Baptista, Azen and Pike, Biometrics 1978; as in Altman,
    /// Practical Statistics for Medical Research, 10.11). None when either group is empty or
    /// achieved nothing, where the ratio or its interval is not defined, and when every project of
    /// both achieved its aim, where the interval would claim a certainty the counts do not have.
    static func relativeLikelihood(_ exposed: Tally, against others: Tally) -> Estimate? {
        let (a, n1, c, n0) = (
            Double(exposed.achieved), Double(exposed.completed), Double(others.achieved), Double(others.completed)
        )
        guard a > 0, c > 0, n1 > 0, n0 > 0, a < n1 || c < n0 else { return nil }
        let ratio = (a / n1) / (c / n0)
        let error = (1 / a - 1 / n1 + 1 / c - 1 / n0).squareRoot()
        return Estimate(ratio: ratio, lower: exp(log(ratio) - 1.96 * error), upper: exp(log(ratio) + 1.96 * error))
    }
}

extension InvolvementAnalysis {
    /// The completed projects of the unit and the units below it, counted by the database in one query.
    static func query(unitID: UUID, tree: UnitTree, on db: any Database) async throws -> Self {
        guard tree.nodes[unitID] != nil else { throw NotFound("unit") }
        struct Row: Decodable {
            let unit_id: UUID
            let closed_at: Date?
            let aim_achieved: String
            let level: Int?
        }
        let scope = PortfolioScope(unitID: unitID, tree: tree)
        let rows = try await db.sql.raw(
            """
            SELECT p.unit_id, p.closed_at, CAST(p.aim_achieved AS TEXT) AS aim_achieved,
            (SELECT MAX(CASE CAST(tm.involvement AS TEXT)
                WHEN \(literal: ServiceUserInvolvement.fullPartner.rawValue) THEN 2
                WHEN \(literal: ServiceUserInvolvement.occasional.rawValue) THEN 1 ELSE 0 END)
             FROM team_members tm JOIN people pe ON pe.id = tm.person_id WHERE tm.project_id = p.id
             AND CAST(pe.kind AS TEXT) IN (\(literal: PersonKind.serviceUser.rawValue), \(literal: PersonKind.carer.rawValue))
            ) AS level
            FROM projects p WHERE \(scope.projects) AND p.status = \(literal: ProjectStatus.completed.rawValue)
            AND p.aim_achieved IS NOT NULL
            """
        ).all(decoding: Row.self)
        let levels: [ServiceUserInvolvement] = [.none, .occasional, .fullPartner]
        var overall = Comparison(label: tree.path(of: unitID))
        var parts: [UUID: Comparison] = [:]
        var years: [Int: Comparison] = [:]
        for row in rows {
            let involvement = levels[min(max(row.level ?? 0, 0), 2)]
            let tally = Tally(completed: 1, achieved: row.aim_achieved == AimAchieved.yes.rawValue ? 1 : 0)
            overall.count(tally, at: involvement)
            let part = Self.part(of: row.unit_id, below: unitID, in: tree)
            let name = tree.nodes[part]?.name ?? ""
            parts[part, default: Comparison(label: part == unitID ? "\(name) (held directly)" : name)].count(
                tally, at: involvement)
            if let closed = row.closed_at {
                let year = CalendarDay(containing: closed).year
                years[year, default: Comparison(label: String(year))].count(tally, at: involvement)
            }
        }
        return .init(
            unitID: unitID, unitPath: tree.path(of: unitID), overall: overall,
            byPart: parts.filter { $0.key != unitID }.values.sorted {
                $0.label.localizedStandardCompare($1.label) == .orderedAscending
            } + (parts[unitID].map { [$0] } ?? []),
            byYear: years.sorted { $0.key > $1.key }.map(\.value))
    }

    /// The unit directly below `top` that holds `unit` (or `top` itself for its own projects).
    static func part(of unit: UUID, below top: UUID, in tree: UnitTree) -> UUID {
        var current = unit
        while let parent = tree.nodes[current]?.parentID, parent != top { current = parent }
        return tree.nodes[current]?.parentID == top ? current : top
    }
}

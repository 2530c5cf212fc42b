import Foundation
import Vapor

/// The involvement analysis of a unit, as `/units/ID/involvement` shows it.
struct InvolvementDTO: Content, Equatable {
    struct Tally: Content, Equatable {
        let completed: Int
        let achieved: Int

        init(_ tally: InvolvementAnalysis.Tally) {
            completed = tally.completed
            achieved = tally.achieved
        }
    }

    struct Estimate: Content, Equatable {
        let ratio: Double
        let lower: Double
        let upper: Double
    }

    struct Comparison: Content, Equatable {
        let label: String
        /// By the highest involvement on the team: `full_partner`, `occasional`, `none`.
        let by_involvement: [String: Tally]
        let with_full_partner: Tally
        let without: Tally
        /// Left out where it is not defined (a group empty, or achieving nothing).
        let relative_likelihood: Estimate?

        init(_ comparison: InvolvementAnalysis.Comparison) {
            label = comparison.label
            by_involvement = Dictionary(
                uniqueKeysWithValues: ServiceUserInvolvement.allCases.map {
                    ($0.rawValue, Tally(comparison.byInvolvement[$0] ?? .init()))
                })
            with_full_partner = Tally(comparison.full)
            without = Tally(comparison.others)
            relative_likelihood = comparison.estimate.map {
                Estimate(ratio: $0.ratio, lower: $0.lower, upper: $0.upper)
            }
        }
    }

    let unit_id: UUID
    let overall: Comparison
    let by_part: [Comparison]
    let by_year: [Comparison]

    init(_ analysis: InvolvementAnalysis) {
        unit_id = analysis.unitID
        overall = Comparison(analysis.overall)
        by_part = analysis.byPart.map(Comparison.init)
        by_year = analysis.byYear.map(Comparison.init)
    }
}

enum InvolvementAPIController {
    /// `GET /api/v1/involvement?unit=ID`: the organisation unless a unit is given.
    @Sendable static func show(req: Request) async throws -> InvolvementDTO {
        let policy = try await req.policy(granting: .readOrganisation)
        guard let unitID = try req.unitFilter("unit", in: policy.tree) ?? policy.tree.organisationID else {
            throw ValidationFailure(field: "unit", message: "There is no organisation yet: name a unit.")
        }
        return InvolvementDTO(try await InvolvementAnalysis.query(unitID: unitID, tree: policy.tree, on: req.db))
    }
}

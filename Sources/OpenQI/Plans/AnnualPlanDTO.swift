import Fluent
import Foundation
import Vapor

/// An annual plan as `GET /api/v1/strategy` returns it: its diagram, and what serves each box.
struct AnnualPlanDTO: Content, Equatable {
    struct Link: Content, Equatable {
        /// A driver's or a change idea's id, from `driver_diagram`.
        let box_id: UUID
        let project_id: UUID?
        let programme_id: UUID?
        let measure_id: UUID?
    }

    let id: UUID
    let unit_id: UUID
    /// The year it starts: 2026 for 2026/27.
    let year: Int
    let parent_id: UUID?
    let aim: String
    let driver_diagram: DriverDiagram
    let links: [Link]
    let version: Int

    /// Every plan, newest year first.
    static func all(on db: any Database) async throws -> [AnnualPlanDTO] {
        let plans = try await AnnualPlan.query(on: db).with(\.$unit).sort(\.$year, .descending).all()
        let links = Dictionary(grouping: try await PlanLink.query(on: db).all(), by: \.$plan.id)
        let diagrams = try await DriverDiagram.load(forPlans: plans, on: db)
        return try zip(plans, diagrams).map { plan, diagram in
            let id = try plan.requireID()
            return AnnualPlanDTO(
                id: id, unit_id: plan.$unit.id, year: plan.year, parent_id: plan.$parent.id, aim: plan.aim,
                driver_diagram: diagram,
                links: (links[id] ?? []).compactMap { link in
                    guard let box = link.$driver.id ?? link.$changeIdea.id else { return nil }
                    return .init(
                        box_id: box, project_id: link.$project.id, programme_id: link.$programme.id,
                        measure_id: link.$measure.id)
                }.sorted {
                    ($0.box_id.uuidString, $0.project_id?.uuidString ?? "") < (
                        $1.box_id.uuidString, $1.project_id?.uuidString ?? ""
                    )
                },
                version: plan.version)
        }
    }
}

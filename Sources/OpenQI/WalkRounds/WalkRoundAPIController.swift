import Fluent
import Foundation
import Vapor

/// A WalkRound as the API returns it.
struct WalkRoundDTO: Content, Equatable {
    struct FollowUp: Content, Equatable {
        let id: UUID
        let action: String
        let owner_id: UUID
        let due_on: String
        let done_on: String?
    }

    let id: UUID
    let unit_id: UUID
    let executive_id: UUID
    let planned_on: String
    /// Left out until the visit is recorded, with the four answers.
    let held_on: String?
    let proud_of: String?
    let improving: String?
    let in_the_way: String?
    let self_care: String?
    let follow_ups: [FollowUp]

    init(_ visit: WalkRound) throws {
        id = try visit.requireID()
        unit_id = visit.$unit.id
        executive_id = visit.$executive.id
        planned_on = CalendarDay.text(visit.plannedOn)
        held_on = visit.heldOn.map(CalendarDay.text)
        (proud_of, improving, in_the_way, self_care) = (visit.proudOf, visit.improving, visit.inTheWay, visit.selfCare)
        follow_ups = try visit.actions.sorted { $0.position < $1.position }.map {
            .init(
                id: try $0.requireID(), action: $0.action, owner_id: $0.$owner.id, due_on: CalendarDay.text($0.dueOn),
                done_on: $0.doneOn.map(CalendarDay.text))
        }
    }
}

enum WalkRoundAPIController {
    /// The most WalkRounds one answer lists.
    static let limit = 500

    /// `GET /api/v1/walkrounds?unit=ID`: visits to the unit and the units below it (or anywhere),
    /// the latest planned first.
    @Sendable static func index(req: Request) async throws -> [WalkRoundDTO] {
        let policy = try await req.policy(granting: .readOrganisation)
        var query = WalkRound.query(on: req.db).with(\.$actions)
        if let unitID = try req.unitFilter("unit", in: policy.tree) {
            query = query.filter(\.$unit.$id ~~ Array(policy.tree.subtree(of: unitID)))
        }
        return try await query.sort(\.$plannedOn, .descending).limit(limit).all().map(WalkRoundDTO.init)
    }
}

import Fluent
import Foundation
import Vapor

/// A huddle as the API returns it.
struct HuddleDTO: Content, Equatable {
    struct Issue: Content, Equatable {
        let id: UUID
        let position: Int
        let description: String
        let action: String?
        let owner_id: UUID?
        let action_due: String?
        let action_done_on: String?
        let escalation_id: UUID?
    }

    let id: UUID
    let unit_id: UUID
    let held_on: String
    let kind: HuddleKind
    let attendees: String
    let issues: [Issue]

    static func query(id: UUID, on db: any Database) async throws -> Self {
        guard
            let huddle = try await Huddle.query(on: db).filter(\.$id == id)
                .with(\.$issues, { $0.with(\.$escalation) }).first()
        else { throw NotFound("huddle") }
        return Self(
            id: id, unit_id: huddle.$unit.id, held_on: CalendarDay.text(huddle.heldOn), kind: huddle.kind,
            attendees: huddle.attendees,
            issues: try huddle.issues.sorted { $0.position < $1.position }.map { issue in
                .init(
                    id: try issue.requireID(), position: issue.position, description: issue.description,
                    action: issue.action, owner_id: issue.$owner.id, action_due: issue.actionDue.map(CalendarDay.text),
                    action_done_on: issue.actionDoneOn.map(CalendarDay.text), escalation_id: issue.escalation?.id)
            })
    }
}

/// An escalation as the API returns it.
struct EscalationDTO: Content, Equatable {
    let id: UUID
    let huddle_id: UUID
    let issue_id: UUID
    let issue: String
    let from_unit_id: UUID
    let to_unit_id: UUID
    let raised_at: Date
    let due_on: String
    /// `open` or `closed`.
    let status: String
    let past_due: Bool
    let response: String?
    let responded_at: Date?
    let closed_at: Date?

    init(_ escalation: Escalation, today: CalendarDay) throws {
        id = try escalation.requireID()
        huddle_id = escalation.issue.$huddle.id
        issue_id = escalation.$issue.id
        issue = escalation.issue.description
        from_unit_id = escalation.$fromUnit.id
        to_unit_id = escalation.$toUnit.id
        raised_at = escalation.raisedAt
        due_on = CalendarDay.text(escalation.dueOn)
        status = escalation.isOpen ? "open" : "closed"
        past_due = escalation.isPastDue(on: today)
        response = escalation.response
        responded_at = escalation.respondedAt
        closed_at = escalation.closedAt
    }
}

enum HuddleAPIController {
    /// `POST /api/v1/huddles`: a huddle with its issues, actions and escalations, as the form records it.
    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let input = try req.content.decode(HuddleInput.self)
        var validator = Validator()
        let unitID = validator.identifier(input.unit_id, field: "unit_id", label: "unit", required: true)
        try validator.check()
        guard let unitID, let unit = policy.tree.nodes[unitID] else {
            throw ValidationFailure(field: "unit_id", message: "Name a unit of this organisation.")
        }
        try policy.require(.recordHuddles(unitID))
        guard !unit.isArchived else {
            throw ValidationFailure(
                field: "unit_id", message: "\(unit.name) is archived: restore it to record its huddles.")
        }
        let choices = try await HuddleChoices.query(unitID: unitID, tree: policy.tree, on: req.db)
        let draft = try input.validate(choices: choices, today: AppClock.today) { index, field in
            "issues[\(index)].\(field)"
        }
        let huddle = try await Huddle.record(
            draft, at: unitID, unitName: choices.unitName, recordedBy: policy.viewer.personID,
            by: policy.viewer.actor, on: req.db)
        return try await HuddleDTO.query(id: try huddle.requireID(), on: req.db)
            .encodeResponse(status: .created, for: req)
    }

    /// `GET /api/v1/escalations?status=open&unit=ID`: past due first, then by due day.
    @Sendable static func escalations(req: Request) async throws -> [EscalationDTO] {
        let policy = try await req.policy(granting: .readOrganisation)
        let status = try req.choiceFilter("status", as: EscalationStatus.self, label: "a status") ?? .open
        let unitID = try req.unitFilter("unit", in: policy.tree)
        let today = AppClock.today
        return try await Escalation.listed(status: status, unitID: unitID, tree: policy.tree, on: req.db).escalations
            .map { try EscalationDTO($0, today: today) }
    }
}

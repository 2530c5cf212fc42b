import Fluent
import Foundation
import Vapor

extension Project {
    /// Whether the project is waiting for a forum's decision.
    var awaitsDecision: Bool { status.awaitsDecision }

    /// Records the forum's decision and moves the project on, in one transaction.
    /// The coach and sponsor must hold that role for the project's unit, and not be archived.
    func decide(
        _ decision: ForumDecisionInput.Valid, decidedBy: UUID, tree: UnitTree, by actor: Actor, on db: any Database
    ) async throws {
        guard awaitsDecision else {
            throw ValidationFailure(
                field: "decision", message: "“\(title)” is \(status.label.lowercased()), not waiting for a decision.")
        }
        let appointments = [("coach_id", Role.coach, decision.coachID), ("sponsor_id", .sponsor, decision.sponsorID)]
        for (field, role, id) in appointments {
            guard let id else { continue }
            guard try await Person.find(id, on: db).map({ !$0.isArchived }) == true else {
                throw ValidationFailure(
                    field: field, message: "Choose someone from the list; this person is archived or does not exist.")
            }
            guard try await ForumDecisionChoices.holds(role, person: id, for: $unit.id, tree: tree, on: db) else {
                throw ValidationFailure(
                    field: field,
                    message:
                        "Choose someone from the list: this person is not a \(role == .coach ? "QI coach" : "sponsor") for \(tree.path(of: $unit.id))."
                )
            }
        }
        let before = auditFields
        switch decision.decision {
        case .approve:
            status = .active
            stage = stage ?? .understand
            $coach.id = decision.coachID
            $sponsor.id = decision.sponsorID
            approvedAt = approvedAt ?? AppClock.now
        case .requestChanges:
            status = .draft
        case .defer:
            status = .deferred
        case .decline:
            status = .declined
            closedAt = AppClock.now
        }
        let record = ForumDecision()
        record.$project.id = try requireID()
        record.$meeting.id = decision.meetingID
        record.decision = decision.decision
        record.$coach.id = decision.coachID
        record.$sponsor.id = decision.sponsorID
        record.deferUntil = decision.deferUntil
        record.reason = decision.reason
        record.$decidedBy.id = decidedBy
        record.decidedAt = AppClock.now
        let joinsProgramme = decision.decision == .approve
        try await saveStep(field: "decision", before: before, by: actor, on: db) { db in
            try await record.create(on: db)
            // A team approved into a programme counts its standard measures from the start.
            if joinsProgramme { try await Programme.equip(self, by: actor, on: db) }
        }
    }
}

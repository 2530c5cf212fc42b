import Fluent
import Foundation
import Vapor

extension Project {
    /// Whether the project is waiting for a forum's decision.
    var awaitsDecision: Bool { [.proposed, .inReview, .deferred].contains(status) }

    /// Records the forum's decision and moves the project on, in one transaction.
    func decide(_ decision: ForumDecisionInput.Valid, decidedBy: UUID, by actor: Actor, on db: any Database)
        async throws
    {
        guard awaitsDecision else {
            throw ValidationFailure(
                field: "decision", message: "“\(title)” is \(status.label.lowercased()), not waiting for a decision.")
        }
        for (field, id) in [("coach_id", decision.coachID), ("sponsor_id", decision.sponsorID)] {
            if let id, try await Person.find(id, on: db).map({ !$0.isArchived }) != true {
                throw ValidationFailure(
                    field: field, message: "Choose someone from the list; this person is archived or does not exist.")
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
        try await saveStep(field: "decision", before: before, by: actor, on: db) { db in try await record.create(on: db)
        }
    }
}

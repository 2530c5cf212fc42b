import Fluent
import Foundation
import Vapor

/// A forum decision as the chair records it.
struct ForumDecisionInput: Content, Sendable {
    var decision: String?
    var coach_id: String?
    var sponsor_id: String?
    var defer_until: String?
    var reason: String?
    var meeting_id: String?

    var formValues: [String: String] {
        [
            "decision": decision ?? "", "coach_id": coach_id ?? "", "sponsor_id": sponsor_id ?? "",
            "defer_until": defer_until ?? "", "reason": reason ?? "",
        ]
    }

    struct Valid: Sendable {
        let decision: ForumDecisionKind
        let coachID: UUID?
        let sponsorID: UUID?
        let deferUntil: Date?
        let reason: String?
        let meetingID: UUID?
    }

    /// Each decision needs what makes it actionable: a coach and a sponsor to approve, a reason to
    /// send back or decline, a date to defer to.
    func validate(today: Date = AppClock.now) throws -> Valid {
        var validator = Validator()
        let decision = validator.choice(decision, field: "decision", label: "a decision", as: ForumDecisionKind.self)
        let coach = validator.identifier(coach_id, field: "coach_id", label: "QI coach", required: false)
        let sponsor = validator.identifier(sponsor_id, field: "sponsor_id", label: "sponsor", required: false)
        let reason = validator.optionalText(reason, field: "reason", label: "the reason", maxLength: 2000)
        let deferUntil = validator.day(
            defer_until, field: "defer_until", label: "the date deferred to", required: false)
        switch decision {
        case .approve:
            if coach == nil { validator.fail("coach_id", "Choose a QI coach: every approved project has one.") }
            if sponsor == nil { validator.fail("sponsor_id", "Choose a sponsor: every approved project has one.") }
        case .requestChanges:
            if reason == nil {
                validator.fail("reason", "Say what the team should change before the forum sees it again.")
            }
        case .defer:
            if deferUntil == nil, validator.errors.allSatisfy({ $0.field != "defer_until" }) {
                validator.fail("defer_until", "Choose the date of the meeting the project is deferred to.")
            } else if let date = deferUntil, date < today {
                validator.fail("defer_until", "The date has passed. Choose a date in the future.")
            }
        case .decline:
            if reason == nil { validator.fail("reason", "Give the team the reason, so they can learn from it.") }
        case nil:
            break
        }
        try validator.check()
        return Valid(
            decision: decision!, coachID: coach, sponsorID: sponsor, deferUntil: deferUntil, reason: reason,
            meetingID: meeting_id.flatMap(UUID.init(uuidString:))
        )
    }
}

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
        try await saveAudited(.update, by: actor, before: before, on: db) { db in try await record.create(on: db) }
    }
}

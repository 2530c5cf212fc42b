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
    /// send back or decline, a date to defer to. What belongs to another decision (a coach chosen
    /// before the chair settled on deferring) is left out rather than saved or refused.
    func validate(today: Date = AppClock.now) throws -> Valid {
        var validator = Validator()
        let decision = validator.choice(decision, field: "decision", label: "a decision", as: ForumDecisionKind.self)
        let reason = validator.optionalText(reason, field: "reason", label: "the reason", maxLength: 2000)
        var coach: UUID?
        var sponsor: UUID?
        var deferUntil: Date?
        switch decision {
        case .approve:
            coach = validator.identifier(coach_id, field: "coach_id", label: "QI coach", required: false)
            sponsor = validator.identifier(sponsor_id, field: "sponsor_id", label: "sponsor", required: false)
            if coach == nil, validator.errors.allSatisfy({ $0.field != "coach_id" }) {
                validator.fail("coach_id", "Choose a QI coach: every approved project has one.")
            }
            if sponsor == nil, validator.errors.allSatisfy({ $0.field != "sponsor_id" }) {
                validator.fail("sponsor_id", "Choose a sponsor: every approved project has one.")
            }
        case .requestChanges:
            if reason == nil {
                validator.fail("reason", "Say what the team should change before the forum sees it again.")
            }
        case .defer:
            deferUntil = validator.day(
                defer_until, field: "defer_until", label: "the date deferred to", required: false)
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
        return try validator.check(decision) { decision in
            Valid(
                decision: decision, coachID: coach, sponsorID: sponsor, deferUntil: deferUntil, reason: reason,
                meetingID: meeting_id.flatMap(UUID.init(uuidString:))
            )
        }
    }
}

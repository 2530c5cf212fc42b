import Fluent
import Foundation
import Vapor

/// How a project ends: completed (with whether the aim was achieved and how gains are sustained) or
/// stopped. Either way the team records what it learned — failure is learning too.
struct ProjectClosureInput: Content, Sendable {
    var outcome: String?
    var aim_achieved: String?
    var learning: String?
    var sustain_plan: String?

    var formValues: [String: String] {
        [
            "outcome": outcome ?? "", "aim_achieved": aim_achieved ?? "", "learning": learning ?? "",
            "sustain_plan": sustain_plan ?? "",
        ]
    }

    enum Outcome: String, CaseIterable, Sendable { case completed, stopped }

    struct Valid: Sendable {
        let outcome: Outcome
        let aimAchieved: AimAchieved?
        let learning: String
        let sustainPlan: String?
    }

    func validate() throws -> Valid {
        var validator = Validator()
        let outcome = validator.choice(outcome, field: "outcome", label: "how the project ends", as: Outcome.self)
        let learning = validator.requiredText(
            learning, field: "learning", label: "what the team learned", maxLength: 4000)
        var achieved: AimAchieved? = nil
        var sustain: String? = nil
        if outcome == .completed {
            achieved = validator.choice(
                aim_achieved, field: "aim_achieved", label: "whether the aim was achieved", as: AimAchieved.self)
            sustain = validator.optionalText(
                sustain_plan, field: "sustain_plan", label: "how the gains are sustained", maxLength: 4000)
            if achieved != nil, achieved != .no, sustain == nil {
                validator.fail(
                    "sustain_plan",
                    "Say how the gains will be sustained: who owns the new way of working, and which measure keeps watch."
                )
            }
        }
        return try validator.check(outcome) { outcome in
            Valid(outcome: outcome, aimAchieved: achieved, learning: learning, sustainPlan: sustain)
        }
    }
}

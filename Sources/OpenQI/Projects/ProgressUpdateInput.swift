import Fluent
import Foundation
import Vapor

/// A progress update as typed into the form.
struct ProgressUpdateInput: Content, Sendable {
    var update_date: String?
    var score: String?
    var stage: String?
    var did: String?
    var learned: String?
    var next_steps: String?
    var sponsor_ask: String?

    var formValues: [String: String] {
        [
            "update_date": update_date ?? "", "score": score ?? "", "stage": stage ?? "", "did": did ?? "",
            "learned": learned ?? "", "next_steps": next_steps ?? "", "sponsor_ask": sponsor_ask ?? "",
        ]
    }

    struct Valid: Sendable {
        let date: Date
        let score: ProgressScore
        let stage: ImprovementStage?
        let did: String
        let learned: String
        let nextSteps: String
        let sponsorAsk: String?
    }

    func validate(today: Date = AppClock.now) throws -> Valid {
        var validator = Validator()
        let date = validator.day(update_date, field: "update_date", label: "the date of the update", required: true)
        if let date, date > today {
            validator.fail("update_date", "The update’s date is in the future. Use today or an earlier date.")
        }
        let score = score.flatMap(Double.init).flatMap(ProgressScore.init(rawValue:))
        if score == nil { validator.fail("score", "Choose a progress score from 0.5 to 5.0.") }
        let stage =
            (stage?.isEmpty ?? true)
            ? nil : validator.choice(stage, field: "stage", label: "the stage", as: ImprovementStage.self)
        let did = validator.requiredText(did, field: "did", label: "what the team did", maxLength: 4000)
        let learned = validator.requiredText(learned, field: "learned", label: "what the team learned", maxLength: 4000)
        let next = validator.requiredText(
            next_steps, field: "next_steps", label: "what the team will do next", maxLength: 4000)
        let ask = validator.optionalText(
            sponsor_ask, field: "sponsor_ask", label: "what the sponsor can unblock", maxLength: 2000)
        return try validator.check(date, score) { date, score in
            Valid(
                date: date, score: score, stage: stage, did: did, learned: learned, nextSteps: next, sponsorAsk: ask)
        }
    }
}

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
        try validator.check()
        return Valid(outcome: outcome!, aimAchieved: achieved, learning: learning, sustainPlan: sustain)
    }
}

extension Project {
    func close(_ closure: ProjectClosureInput.Valid, by actor: Actor, on db: any Database) async throws {
        guard status.isOpen else {
            throw Abort(
                .badRequest, reason: "Only an active project can be closed; “\(title)” is \(status.label.lowercased())."
            )
        }
        let before = auditFields
        status = closure.outcome == .completed ? .completed : .stopped
        aimAchieved = closure.aimAchieved
        learning = closure.learning
        sustainPlan = closure.sustainPlan
        closedAt = AppClock.now
        try await saveAudited(.update, by: actor, before: before, on: db)
    }
}

extension ProjectController {
    @Sendable static func close(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let project = try await find(req)
        let projectID = try project.requireID()
        try policy.require(.editProject(project.access))
        let input = try req.content.decode(ProjectClosureInput.self)
        do {
            try await project.close(try input.validate(), by: policy.viewer.actor, on: req.db)
            let notice =
                project.status == .completed
                ? "“\(project.title)” is complete. Thank you — consider writing its story."
                : "“\(project.title)” was stopped, and its learning kept."
            return req.redirect(to: SiteURL.projects(.show(.value(projectID))).relativeURL(), notice: notice)
        } catch let failure as ValidationFailure {
            var model = try await ProjectShow.Model.query(id: projectID, policy: policy, on: req.db)
            model.closeForm = FormState(values: input.formValues, errors: failure.errors)
            return ProjectShow.View(context: try await req.pageContext(), model: model).response(
                status: .unprocessableEntity)
        }
    }
}

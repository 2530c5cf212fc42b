import Foundation
import Vapor

/// Sustaining the gains: recording what is being done when a completed project's gains slip.
enum SustainingController {
    @Sendable static func answer(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let project = try await req.project()
        try policy.require(.sustainGains(project.access))
        let projectID = try project.requireID()
        let shown = SiteURL.projects(.show(.value(projectID))).relativeURL()
        let input = try req.content.decode(GainsResponseInput.self)
        do {
            let signal = try await project.answerSlippingGains(
                try input.validate(), recordedBy: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown + "#gains",
                notice: "Recorded what is being done about “\(signal.measureName)”. It leaves the forum’s agenda.")
        } catch let failure as ValidationFailure {
            var model = try await ProjectShow.Model.query(id: projectID, policy: policy, on: req.db)
            // Nothing slips any more (someone answered first): the form has gone, so the reason is
            // told as a notice rather than on a page with nowhere to show it.
            guard !model.gains.slipping.isEmpty else {
                return req.redirect(to: shown + "#gains", notice: failure.reason)
            }
            model.gains.form = FormState(values: input.formValues, errors: failure.errors)
            return ProjectShow.View(context: try await req.pageContext(), model: model)
                .response(status: .unprocessableEntity)
        }
    }
}

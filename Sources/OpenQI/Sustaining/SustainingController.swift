import Foundation
import Vapor

/// Sustaining the gains: recording what is being done when a completed project's gains slip.
enum SustainingController {
    @Sendable static func answer(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let project = try await req.project()
        try policy.require(.sustainGains(project.access))
        let projectID = try project.requireID()
        let input = try req.content.decode(GainsResponseInput.self)
        return try await req.saveForm(typed: FormState(values: input.formValues)) {
            let valid = try input.validate()
            try await project.answerSlippingGains(
                valid, recordedBy: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            let measure = try await Measure.find(valid.measureID, on: req.db)?.name ?? "the measure"
            return req.redirect(
                to: SiteURL.projects(.show(.value(projectID))).relativeURL() + "#gains",
                notice: "Recorded what is being done about “\(measure)”. It leaves the forum’s agenda.")
        } redraw: { state in
            try await ProjectController.projectPage(req, projectID, policy: policy) { $0.gains.form = state }
        }
    }
}

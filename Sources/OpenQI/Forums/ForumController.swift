import Fluent
import Foundation
import Vapor

/// The forum pages: every forum, one forum's meetings, a meeting's agenda, and the chair's decisions.
enum ForumController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return ForumIndex.View(
            context: try await req.pageContext(), model: try await .query(policy: policy, on: req.db)
        ).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await ForumShow.Model.query(unitID: try req.idParameter("unitID"), policy: policy, on: req.db)
        return ForumShow.View(context: try await req.pageContext(), model: model).response()
    }

    struct ScheduleInput: Content {
        var date: String?
        var notes: String?
    }

    @Sendable static func schedule(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let unitID = try req.idParameter("unitID")
        try policy.require(.chairForum(unitID))
        let input = try req.content.decode(ScheduleInput.self)
        var validator = Validator()
        let notes = validator.optionalText(input.notes, field: "notes", label: "the notes", maxLength: 2000)
        let date = validator.day(input.date, field: "date", label: "the meeting’s date", required: true)
        guard validator.errors.isEmpty, let date else {
            var model = try await ForumShow.Model.query(unitID: unitID, policy: policy, on: req.db)
            model.form = FormState(
                values: ["date": input.date ?? "", "notes": input.notes ?? ""], errors: validator.errors)
            return ForumShow.View(context: try await req.pageContext(), model: model).response(
                status: .unprocessableEntity)
        }
        let meeting = ForumMeeting(unitID: unitID, date: date, notes: notes)
        try await meeting.saveAudited(.create, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: SiteURL.forums(.meeting(.value(try meeting.requireID()))).relativeURL(),
            notice: "The meeting is scheduled. Its agenda lists what needs the forum.")
    }

    @Sendable static func meeting(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await ForumAgenda.Model.query(
            meetingID: try req.idParameter("meetingID"), policy: policy, on: req.db)
        return ForumAgenda.View(context: try await req.pageContext(), model: model).response()
    }

    /// The chair records a decision on a project, from a meeting's agenda or the project's page;
    /// a decision that cannot be saved comes back on the page it was made on, as typed.
    @Sendable static func decide(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let project = try await req.project()
        let projectID = try project.requireID()
        try policy.require(.chairForum(policy.tree.forumUnit(for: project.$unit.id)))
        let input = try req.content.decode(ForumDecisionInput.self)
        let meetingID = input.meeting_id.flatMap(UUID.init(uuidString:))
        let back =
            meetingID.map { SiteURL.forums(.meeting(.value($0))).relativeURL() + "#proposals" }
            ?? SiteURL.projects(.show(.value(projectID))).relativeURL() + "#forum"
        do {
            let decision = try input.validate()
            try await project.decide(
                decision, decidedBy: policy.viewer.personID, tree: policy.tree, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: back, notice: "“\(project.title)”: \(decision.decision.label.lowercased()).")
        } catch let failure as ValidationFailure {
            // Decided meanwhile (by another chair, or in another tab): the form is no longer on the
            // page to carry the message, so the page says it at the top instead.
            var decidedAtMeeting = false
            if let meetingID {
                decidedAtMeeting =
                    try await ForumDecision.query(on: req.db).filter(\.$project.$id == projectID)
                    .filter(\.$meeting.$id == meetingID).count() > 0
            }
            guard try await Project.find(projectID, on: req.db)?.awaitsDecision == true, !decidedAtMeeting else {
                return req.redirect(to: back, notice: failure.reason)
            }
            let state = FormState(values: input.formValues, errors: failure.errors)
            let page: Response
            if let meetingID {
                var model = try await ForumAgenda.Model.query(meetingID: meetingID, policy: policy, on: req.db)
                model.decisionForms[projectID] = state
                page = ForumAgenda.View(context: try await req.pageContext(), model: model).response()
            } else {
                page = try await ProjectController.projectPage(req, projectID, policy: policy) {
                    $0.decisionForm = state
                }
            }
            page.status = .unprocessableEntity
            return page
        }
    }
}

import Fluent
import Foundation
import Vapor

/// Improvement stories: written by the team, read by everyone, marked publishable when cleared.
enum StoryController {
    @Sendable static func new(req: Request) async throws -> Response {
        let (project, _) = try await req.editableProject()
        return try await formPage(req, project: project, story: nil, state: StoryInput().formState)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let input = try req.content.decode(StoryInput.self)
        return try await req.saveForm(typed: input.formState) {
            let valid = try input.validate()
            let story = Story()
            story.$project.id = try project.requireID()
            story.$author.id = policy.viewer.personID
            story.apply(valid)
            try await req.db.transaction { db in
                try await story.create(on: db)
                try await story.audit(project: project).recordAudit(.create, by: policy.viewer.actor, on: db)
            }
            return req.redirect(
                to: SiteURL.stories(.show(.value(try story.requireID()))).relativeURL(),
                notice: "Your story “\(story.title)” was saved.")
        } redraw: { state in
            try await formPage(req, project: project, story: nil, state: state)
        }
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await StoryShow.Model.query(id: try req.idParameter("storyID"), policy: policy, on: req.db)
        return StoryShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let (story, project, _) = try await editable(req)
        return try await formPage(req, project: project, story: story, state: StoryInput(story).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (story, project, policy) = try await editable(req)
        let input = try req.content.decode(StoryInput.self)
        return try await req.saveEdit(input, of: story, called: "story") { version in
            try await story.update(
                with: try input.validate(), expecting: version, in: project, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.stories(.show(.value(try story.requireID()))).relativeURL(),
                notice: "Your changes were saved.")
        } redraw: { story, state in
            try await formPage(req, project: project, story: story, state: state)
        }
    }

    private static func editable(_ req: Request) async throws -> (Story, Project, Policy) {
        let policy = try await req.policy()
        guard let story = try await Story.find(try req.idParameter("storyID"), on: req.db),
            let project = try await Project.withTeam(id: story.$project.id, on: req.db)
        else { throw NotFound("story") }
        try policy.require(.editProject(project.access))
        return (story, project, policy)
    }

    private static func formPage(
        _ req: Request, project: Project, story: Story?, state: FormState
    ) async throws -> Response {
        let measures = try await Measure.inUse(byProject: try project.requireID(), on: req.db)
        let model = StoryForm.Model(
            projectID: try project.requireID(), projectTitle: project.title, storyID: story?.id, form: state,
            charts: measures.compactMap { measure in
                measure.id.map { .init(name: measure.name, embed: "![\(measure.name)](chart:\($0.uuidString))") }
            })
        return StoryForm.View(context: try await req.pageContext(), model: model).response()
    }
}

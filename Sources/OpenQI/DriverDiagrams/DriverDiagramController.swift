import Fluent
import Foundation
import Vapor

/// The driver diagram page and its plain-form editor: add, change and remove drivers and change ideas.
enum DriverDiagramController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let project = try await req.project()
        return try await page(req, model: .query(project: project, policy: policy, on: req.db))
    }

    @Sendable static func addDriver(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let input = try req.content.decode(DriverInput.self)
        let diagram = try await DriverDiagram.load(for: project, on: req.db)
        return try await req.saveForm(typed: input.formState) {
            let driver = try await project.addDriver(
                try input.validate(in: diagram), by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "“\(driver.text)” was added to the diagram.")
        } redraw: { state in
            var model = try await DriverDiagramPage.Model.query(project: project, policy: policy, on: req.db)
            if input.level == DriverLevel.secondary.rawValue {
                model.secondaryForm = state
            } else {
                model.primaryForm = state
            }
            return try await page(req, model: model)
        }
    }

    @Sendable static func updateDriver(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let driver = try await findDriver(req, in: project)
        let input = try req.content.decode(DriverInput.self)
        let diagram = try await DriverDiagram.load(for: project, on: req.db)
        return try await req.saveEdit(input, of: driver, called: "driver") { version in
            let valid = try input.validate(in: diagram, editing: diagram.driver(try driver.requireID()))
            try await project.updateDriver(driver, with: valid, expecting: version, by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "The driver was saved.")
        } redraw: { driver, state in
            try await editorPage(
                req, project: project, policy: policy, editing: .init(id: try driver.requireID(), form: state))
        }
    }

    @Sendable static func removeDriver(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let driver = try await findDriver(req, in: project)
        let diagram = try await DriverDiagram.load(for: project, on: req.db)
        do {
            try await project.removeDriver(driver, in: diagram, by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "“\(driver.text)” was removed from the diagram.")
        } catch let failure as ValidationFailure {
            return try await refused(req, project: project, policy: policy, failure: failure)
        }
    }

    @Sendable static func addChangeIdea(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let input = try req.content.decode(ChangeIdeaInput.self)
        let diagram = try await DriverDiagram.load(for: project, on: req.db)
        return try await req.saveForm(typed: input.formState) {
            let idea = try await project.addChangeIdea(
                try input.validate(in: diagram), by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "“\(idea.title)” was added. Plan a PDSA cycle to test it.")
        } redraw: { state in
            var model = try await DriverDiagramPage.Model.query(project: project, policy: policy, on: req.db)
            model.ideaForm = state
            return try await page(req, model: model)
        }
    }

    @Sendable static func updateChangeIdea(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let idea = try await findIdea(req, in: project)
        let input = try req.content.decode(ChangeIdeaInput.self)
        let diagram = try await DriverDiagram.load(for: project, on: req.db)
        return try await req.saveEdit(input, of: idea, called: "change idea") { version in
            try await project.updateChangeIdea(
                idea, with: try input.validate(in: diagram), expecting: version, by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "The change idea was saved.")
        } redraw: { idea, state in
            try await editorPage(
                req, project: project, policy: policy, editing: .init(id: try idea.requireID(), form: state))
        }
    }

    @Sendable static func removeChangeIdea(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let idea = try await findIdea(req, in: project)
        do {
            try await project.removeChangeIdea(idea, by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "“\(idea.title)” was removed from the diagram.")
        } catch let failure as ValidationFailure {
            return try await refused(req, project: project, policy: policy, failure: failure)
        }
    }

    static func findDriver(_ req: Request, in project: Project) async throws -> Driver {
        guard
            let driver = try await Driver.query(on: req.db).filter(\.$id == (try req.idParameter("driverID")))
                .filter(\.$project.$id == (try project.requireID())).first()
        else {
            throw Abort(.notFound, reason: "This driver is not on the project’s diagram; it may have been removed.")
        }
        return driver
    }

    static func findIdea(_ req: Request, in project: Project) async throws -> ChangeIdea {
        guard
            let idea = try await ChangeIdea.query(on: req.db).filter(\.$id == (try req.idParameter("ideaID")))
                .filter(\.$project.$id == (try project.requireID())).first()
        else {
            throw Abort(
                .notFound, reason: "This change idea is not on the project’s diagram; it may have been removed.")
        }
        return idea
    }

    private static func done(_ req: Request, _ project: Project, notice: String) -> Response {
        req.redirect(to: SiteURL.projects(.driverDiagram(.value(project.id!))).relativeURL(), notice: notice)
    }

    /// The diagram with one box's editor open on what was typed.
    private static func editorPage(
        _ req: Request, project: Project, policy: Policy, editing: DriverDiagramPage.Editing
    ) async throws -> Response {
        var model = try await DriverDiagramPage.Model.query(project: project, policy: policy, on: req.db)
        model.editing = editing
        return try await page(req, model: model)
    }

    private static func refused(_ req: Request, project: Project, policy: Policy, failure: ValidationFailure)
        async throws -> Response
    {
        var model = try await DriverDiagramPage.Model.query(project: project, policy: policy, on: req.db)
        model.problem = failure.reason
        return try await page(req, model: model, status: .unprocessableEntity)
    }

    private static func page(_ req: Request, model: DriverDiagramPage.Model, status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        DriverDiagramPage.View(context: try await req.pageContext(), model: model).response(status: status)
    }
}

import Fluent
import Foundation
import Vapor

/// The driver diagram page and its plain-form editor: add, change and remove drivers and change ideas.
enum DriverDiagramController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let project = try await req.project()
        return try await page(req, project: project, policy: policy)
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
            try await page(req, project: project, policy: policy) {
                if input.level == DriverLevel.secondary.rawValue {
                    $0.secondaryForm = state
                } else {
                    $0.primaryForm = state
                }
            }
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
            let editing = DriverDiagramPage.Editing(id: try driver.requireID(), form: state)
            return try await page(req, project: project, policy: policy) { $0.editing = editing }
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
            return try await page(req, project: project, policy: policy, status: .unprocessableEntity) {
                $0.problem = failure.reason
            }
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
            try await page(req, project: project, policy: policy) { $0.ideaForm = state }
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
            let editing = DriverDiagramPage.Editing(id: try idea.requireID(), form: state)
            return try await page(req, project: project, policy: policy) { $0.editing = editing }
        }
    }

    @Sendable static func removeChangeIdea(req: Request) async throws -> Response {
        let (project, policy) = try await req.editableProject()
        let idea = try await findIdea(req, in: project)
        do {
            try await project.removeChangeIdea(idea, by: policy.viewer.actor, on: req.db)
            return done(req, project, notice: "“\(idea.title)” was removed from the diagram.")
        } catch let failure as ValidationFailure {
            return try await page(req, project: project, policy: policy, status: .unprocessableEntity) {
                $0.problem = failure.reason
            }
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

    /// The diagram page, with `change` made to its model: a form drawn again with what was typed,
    /// a box's editor open, or why a change was refused.
    private static func page(
        _ req: Request, project: Project, policy: Policy, status: HTTPResponseStatus = .ok,
        change: (inout DriverDiagramPage.Model) -> Void = { _ in }
    ) async throws -> Response {
        var model = try await DriverDiagramPage.Model.query(project: project, policy: policy, on: req.db)
        change(&model)
        return DriverDiagramPage.View(context: try await req.pageContext(), model: model).response(status: status)
    }
}

import Fluent
import Foundation
import Vapor

/// The driver diagram page and its plain-form editor: add, change and remove drivers and change
/// ideas, on a project's diagram or a programme's (`DiagramOwner`), under the owner's address.
enum DriverDiagramController {
    /// The diagram's routes under each kind of owner's address.
    static func register(on routes: any RoutesBuilder) {
        for kind in DiagramOwner.Kind.allCases {
            let path = { (part: SiteURL.DiagramPart) in kind.url(.key, part).pathComponents }
            routes.get(path(.show)) { try await show(req: $0, kind) }
            routes.post(path(.addDriver)) { try await addDriver(req: $0, kind) }
            routes.post(path(.updateDriver(.key))) { try await updateDriver(req: $0, kind) }
            routes.post(path(.removeDriver(.key))) { try await removeDriver(req: $0, kind) }
            routes.post(path(.addChangeIdea)) { try await addChangeIdea(req: $0, kind) }
            routes.post(path(.updateChangeIdea(.key))) { try await updateChangeIdea(req: $0, kind) }
            routes.post(path(.removeChangeIdea(.key))) { try await removeChangeIdea(req: $0, kind) }
        }
    }

    static func show(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await page(req, owner: try await kind.find(req), policy: policy)
    }

    static func addDriver(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let (owner, policy) = try await editable(req, kind)
        let input = try req.content.decode(DriverInput.self)
        let diagram = try await DriverDiagram.load(for: owner, on: req.db)
        return try await req.saveForm(typed: input.formState) {
            let driver = try await owner.addDriver(try input.validate(in: diagram), by: policy.viewer.actor, on: req.db)
            return done(req, owner, notice: "“\(driver.text)” was added to the diagram.")
        } redraw: { state in
            try await page(req, owner: owner, policy: policy) {
                if input.level == DriverLevel.secondary.rawValue {
                    $0.secondaryForm = state
                } else {
                    $0.primaryForm = state
                }
            }
        }
    }

    static func updateDriver(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let (owner, policy) = try await editable(req, kind)
        let driver = try await findDriver(req, in: owner)
        let input = try req.content.decode(DriverInput.self)
        let diagram = try await DriverDiagram.load(for: owner, on: req.db)
        return try await req.saveEdit(input, of: driver, called: "driver") { version in
            let valid = try input.validate(in: diagram, editing: diagram.driver(try driver.requireID()))
            try await owner.updateDriver(driver, with: valid, expecting: version, by: policy.viewer.actor, on: req.db)
            return done(req, owner, notice: "The driver was saved.")
        } redraw: { driver, state in
            let editing = DriverDiagramPage.Editing(id: try driver.requireID(), form: state)
            return try await page(req, owner: owner, policy: policy) { $0.editing = editing }
        }
    }

    static func removeDriver(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let (owner, policy) = try await editable(req, kind)
        let driver = try await findDriver(req, in: owner)
        let diagram = try await DriverDiagram.load(for: owner, on: req.db)
        do {
            try await owner.removeDriver(driver, in: diagram, by: policy.viewer.actor, on: req.db)
            return done(req, owner, notice: "“\(driver.text)” was removed from the diagram.")
        } catch let failure as ValidationFailure {
            return try await page(req, owner: owner, policy: policy, status: .unprocessableEntity) {
                $0.problem = failure.reason
            }
        }
    }

    static func addChangeIdea(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let (owner, policy) = try await editable(req, kind)
        let input = try req.content.decode(ChangeIdeaInput.self)
        let diagram = try await DriverDiagram.load(for: owner, on: req.db)
        let package = try await owner.changePackage(on: req.db)
        return try await req.saveForm(typed: input.formState) {
            let idea = try await owner.addChangeIdea(
                try input.validate(in: diagram, package: package), by: policy.viewer.actor, on: req.db)
            let next =
                switch owner {
                case .project: "Plan a PDSA cycle to test it."
                case .programme: "Teams can now say they adapt it."
                case .plan: "Link the work serving it from the plan’s page."
                }
            return done(req, owner, notice: "“\(idea.title)” was added. \(next)")
        } redraw: { state in
            try await page(req, owner: owner, policy: policy) { $0.ideaForm = state }
        }
    }

    static func updateChangeIdea(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let (owner, policy) = try await editable(req, kind)
        let idea = try await findIdea(req, in: owner)
        let input = try req.content.decode(ChangeIdeaInput.self)
        let diagram = try await DriverDiagram.load(for: owner, on: req.db)
        let package = try await owner.changePackage(on: req.db)
        return try await req.saveEdit(input, of: idea, called: "change idea") { version in
            try await owner.updateChangeIdea(
                idea, with: try input.validate(in: diagram, package: package), expecting: version,
                by: policy.viewer.actor, on: req.db)
            return done(req, owner, notice: "The change idea was saved.")
        } redraw: { idea, state in
            let editing = DriverDiagramPage.Editing(id: try idea.requireID(), form: state)
            return try await page(req, owner: owner, policy: policy) { $0.editing = editing }
        }
    }

    static func removeChangeIdea(req: Request, _ kind: DiagramOwner.Kind) async throws -> Response {
        let (owner, policy) = try await editable(req, kind)
        let idea = try await findIdea(req, in: owner)
        do {
            try await owner.removeChangeIdea(idea, by: policy.viewer.actor, on: req.db)
            return done(req, owner, notice: "“\(idea.title)” was removed from the diagram.")
        } catch let failure as ValidationFailure {
            return try await page(req, owner: owner, policy: policy, status: .unprocessableEntity) {
                $0.problem = failure.reason
            }
        }
    }

    /// The route's owner and the viewer's policy, once the policy lets the viewer change its diagram.
    static func editable(_ req: Request, _ kind: DiagramOwner.Kind) async throws -> (DiagramOwner, Policy) {
        let policy = try await req.policy()
        let owner = try await kind.find(req)
        try owner.requireEdit(policy)
        return (owner, policy)
    }

    static func findDriver(_ req: Request, in owner: DiagramOwner) async throws -> Driver {
        guard
            let driver = try await owner.drivers(on: req.db).filter(\.$id == (try req.idParameter("driverID"))).first()
        else {
            throw Abort(.notFound, reason: "This driver is not on the diagram; it may have been removed.")
        }
        return driver
    }

    static func findIdea(_ req: Request, in owner: DiagramOwner) async throws -> ChangeIdea {
        guard let idea = try await owner.ideas(on: req.db).filter(\.$id == (try req.idParameter("ideaID"))).first()
        else {
            throw Abort(.notFound, reason: "This change idea is not on the diagram; it may have been removed.")
        }
        return idea
    }

    private static func done(_ req: Request, _ owner: DiagramOwner, notice: String) -> Response {
        req.redirect(to: owner.url(.show).relativeURL(), notice: notice)
    }

    /// The diagram page, with `change` made to its model: a form drawn again with what was typed,
    /// a box's editor open, or why a change was refused.
    private static func page(
        _ req: Request, owner: DiagramOwner, policy: Policy, status: HTTPResponseStatus = .ok,
        change: (inout DriverDiagramPage.Model) -> Void = { _ in }
    ) async throws -> Response {
        var model = try await DriverDiagramPage.Model.query(owner: owner, policy: policy, on: req.db)
        change(&model)
        return DriverDiagramPage.View(context: try await req.pageContext(), model: model).response(status: status)
    }
}

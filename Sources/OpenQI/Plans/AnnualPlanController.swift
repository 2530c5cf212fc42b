import Fluent
import Foundation
import Vapor

/// The annual plans' pages: read one; for a unit's administrators and QI team, draw and change it
/// and link the work serving its boxes. (Its diagram is drawn by `DriverDiagramController`.)
enum AnnualPlanController {
    static func register(on routes: any RoutesBuilder) {
        routes.get(SiteURL.plans(.new).pathComponents, use: new)
        routes.post(SiteURL.plans(.create).pathComponents, use: create)
        routes.get(SiteURL.plans(.show(.key)).pathComponents, use: show)
        routes.get(SiteURL.plans(.edit(.key)).pathComponents, use: edit)
        routes.post(SiteURL.plans(.update(.key)).pathComponents, use: update)
        routes.post(SiteURL.plans(.link(.key)).pathComponents, use: link)
        routes.post(SiteURL.plans(.unlink(plan: .key, link: .key)).pathComponents, use: unlink)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await page(req, try req.idParameter("planID"), policy: policy)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .drawPlans)
        let choices = try await AnnualPlanChoices.query(for: nil, policy: policy, on: req.db)
        let unit = choices.units.count == 1 ? choices.units[0].value : ""
        let year = String(CalendarDay(containing: AppClock.now).month.year)
        return try await formPage(
            req, nil, state: FormState(values: ["unit_id": unit, "year": year]), choices: choices)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .drawPlans)
        let input = try req.content.decode(AnnualPlanInput.self)
        let choices = try await AnnualPlanChoices.query(for: nil, policy: policy, on: req.db)
        try requireMayPlan(for: input.unit_id, policy: policy)
        return try await req.saveForm(typed: input.formState) {
            let plan = try await AnnualPlan.create(
                try input.validate(choices: choices), by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.plans(.diagram(.value(try plan.requireID()), .show)).relativeURL(),
                notice: "The plan was drawn. Add what drives its aim, then link the work serving each box.")
        } redraw: { state in
            try await formPage(req, nil, state: state, choices: choices)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let (plan, policy) = try await manageable(req)
        let choices = try await AnnualPlanChoices.query(for: plan, policy: policy, on: req.db)
        return try await formPage(req, plan, state: AnnualPlanInput(plan).formState, choices: choices)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (plan, policy) = try await manageable(req)
        let input = try req.content.decode(AnnualPlanInput.self)
        let choices = try await AnnualPlanChoices.query(for: plan, policy: policy, on: req.db)
        let id = try plan.requireID()
        if input.unit_id != plan.$unit.id.uuidString { try requireMayPlan(for: input.unit_id, policy: policy) }
        return try await req.saveEdit(input, of: plan, called: "plan") { saved in
            ["unit_id": policy.tree.path(of: saved.$unit.id)]
        } save: { version in
            let draft = try input.validate(choices: choices, editing: id)
            try await plan.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: SiteURL.plans(.show(.value(id))).relativeURL(), notice: "The plan was saved.")
        } redraw: { plan, state in
            try await formPage(req, plan, state: state, choices: choices)
        }
    }

    @Sendable static func link(req: Request) async throws -> Response {
        let (plan, policy) = try await manageable(req)
        let id = try plan.requireID()
        let input = try req.content.decode(PlanLinkInput.self)
        let choices = try await linkChoices(plan, policy: policy, on: req.db)
        return try await req.saveForm(typed: input.formState) {
            let (box, work) = try input.validate(boxes: choices.boxOptions, work: choices.work)
            let names = PlanLinkNames(box: choices.name(of: box), work: choices.name(of: work))
            try await plan.link(box, to: work, named: names, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.plans(.show(.value(id))).relativeURL(), notice: "“\(names.work)” now serves “\(names.box)”."
            )
        } redraw: { state in
            var redrawn = try await AnnualPlanShow.Model.query(id: id, policy: policy, on: req.db)
            redrawn.linkForm = state
            return AnnualPlanShow.View(context: try await req.pageContext(), model: redrawn).response()
        }
    }

    @Sendable static func unlink(req: Request) async throws -> Response {
        let (plan, policy) = try await manageable(req)
        let id = try plan.requireID()
        guard
            let link = try await PlanLink.query(on: req.db).filter(\.$id == (try req.idParameter("linkID")))
                .filter(\.$plan.$id == id).first()
        else { throw NotFound("link") }
        let choices = try await linkChoices(plan, policy: policy, on: req.db)
        let names = PlanLinkNames(
            box: link.box.map { choices.name(of: $0) } ?? "the box",
            work: link.work.map { choices.name(of: $0) } ?? "The work")
        try await plan.unlink(link, named: names, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: SiteURL.plans(.show(.value(id))).relativeURL(),
            notice: "“\(names.work)” no longer serves “\(names.box)”.")
    }

    // MARK: Helpers

    /// The plan the request names, with its unit.
    static func find(_ req: Request) async throws -> AnnualPlan {
        guard
            let plan = try await AnnualPlan.query(on: req.db).filter(\.$id == req.idParameter("planID"))
                .with(\.$unit).first()
        else { throw NotFound("plan") }
        return plan
    }

    /// The plan the request names, with the policy, when the viewer may manage it.
    private static func manageable(_ req: Request) async throws -> (AnnualPlan, Policy) {
        let policy = try await req.policy()
        let plan = try await find(req)
        try policy.require(.managePlans(in: plan.$unit.id))
        return (plan, policy)
    }

    /// A plan named for a unit the viewer may not plan for is refused outright (the form never
    /// offers it); anything else is for validation to name.
    private static func requireMayPlan(for unit: String?, policy: Policy) throws {
        guard let id = unit.flatMap(UUID.init(uuidString:)), policy.tree.nodes[id] != nil else { return }
        try policy.require(.managePlans(in: id))
    }

    private static func linkChoices(_ plan: AnnualPlan, policy: Policy, on db: any Database) async throws
        -> AnnualPlanShow.LinkChoices
    {
        let diagram = try await DriverDiagram.load(for: .plan(plan), on: db)
        return try await AnnualPlanShow.LinkChoices.query(for: plan, diagram: diagram, tree: policy.tree, on: db)
    }

    private static func page(_ req: Request, _ id: UUID, policy: Policy) async throws -> Response {
        let model = try await AnnualPlanShow.Model.query(id: id, policy: policy, on: req.db)
        return AnnualPlanShow.View(context: try await req.pageContext(), model: model).response()
    }

    private static func formPage(
        _ req: Request, _ plan: AnnualPlan?, state: FormState, choices: AnnualPlanChoices
    ) async throws -> Response {
        let model = AnnualPlanForm.Model(
            editingID: plan?.id, editingTitle: plan?.title, form: state, unitOptions: choices.units,
            parentOptions: choices.parentOptions(editing: plan?.id))
        return AnnualPlanForm.View(context: try await req.pageContext(), model: model).response()
    }
}

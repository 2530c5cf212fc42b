import Fluent
import Foundation
import Vapor

/// The capability figures, which everyone reads, and the dosing plan, which whoever runs the
/// training sets.
enum CapabilityController {
    static func register(on routes: any RoutesBuilder) {
        routes.get(SiteURL.capability(.dashboard).pathComponents, use: show)
        routes.get(SiteURL.capability(.plan).pathComponents, use: planForm)
        routes.post(SiteURL.capability(.plan).pathComponents, use: savePlan)
        routes.get(SiteURL.capability(.export).pathComponents, use: export)
        routes.get(SiteURL.capability(.coaches).pathComponents, use: coaches)
        routes.get(SiteURL.capability(.supervision(.key)).pathComponents, use: supervisionForm)
        routes.post(SiteURL.capability(.supervision(.key)).pathComponents, use: recordSupervision)
        AttendanceImportController.register(on: routes)
    }

    @Sendable static func coaches(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await CoachesPage.Model.query(policy: policy, today: AppClock.today, on: req.db)
        return CoachesPage.View(context: try await req.pageContext(), model: model).response()
    }

    /// The coach named in the path, and the policy once it allows the viewer to supervise them.
    private static func supervising(_ req: Request) async throws -> (Policy, Person) {
        let policy = try await req.policy()
        guard let coach = try await Person.find(try req.idParameter("coachID"), on: req.db), !coach.isArchived else {
            throw NotFound("coach")
        }
        let units = try await RoleGrant.query(on: req.db).filter(\.$person.$id == coach.requireID())
            .filter(\.$role == .coach).all().map(\.$unit.id)
        guard !units.isEmpty else { throw NotFound("coach") }
        try policy.require(.superviseCoach(coachID: try coach.requireID(), grantedAt: Set(units)))
        return (policy, coach)
    }

    @Sendable static func supervisionForm(req: Request) async throws -> Response {
        let (_, coach) = try await supervising(req)
        let model = try await SupervisionForm.Model.query(coach: coach, form: nil, on: req.db)
        return SupervisionForm.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func recordSupervision(req: Request) async throws -> Response {
        let (policy, coach) = try await supervising(req)
        let input = try req.content.decode(SupervisionInput.self)
        return try await req.saveForm(typed: input.formState) {
            let offered = try await SupervisionForm.Model.query(coach: coach, form: nil, on: req.db).projectChoices
                .compactMap { UUID(uuidString: $0.value) }
            let draft = try input.validate(offered: Set(offered), today: AppClock.today)
            guard let advisor = try await Person.find(policy.viewer.personID, on: req.db) else {
                throw NotFound("person")
            }
            _ = try await Supervision.record(draft, of: coach, by: advisor, actor: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.capability(.coaches).relativeURL(),
                notice: "The supervision of \(coach.fullName) on \(draft.heldOn.label) was recorded.")
        } redraw: { state in
            let model = try await SupervisionForm.Model.query(coach: coach, form: state, on: req.db)
            return SupervisionForm.View(context: try await req.pageContext(), model: model).response()
        }
    }

    /// The figures of `show` as a spreadsheet.
    @Sendable static func export(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let year = try req.yearParameter()
        guard let unitID = try req.capabilityUnit(in: policy.tree) else {
            throw Abort(.notFound)
        }
        let figures = try await DosingFigures.cached(
            unitID: unitID, year: year, tree: policy.tree, today: AppClock.today, cache: try await req.cachedResults(),
            on: req.db)
        return .csv(figures.csv, filename: "capability-\(year).csv")
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let year = try req.yearParameter()
        guard let unitID = try req.capabilityUnit(in: policy.tree) else {
            return req.redirect(
                to: SiteURL.units(.index).relativeURL(),
                notice: "There is no organisation yet to show the capability of: add it first.")
        }
        let key = CapabilityPage.PageKey(
            unit: unitID, year: year, day: AppClock.today, canPlan: policy.allows(.manageCapability))
        let db = req.db
        return try await req.page(drawnOnceAs: key) { context in
            CapabilityPage.View(
                context: context,
                model: try await CapabilityPage.Model.query(unitID: unitID, year: year, policy: policy, on: db))
        }
    }

    @Sendable static func planForm(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let year = try req.yearParameter()
        guard let unitID = try req.capabilityUnit(in: policy.tree) else {
            throw Abort(.notFound)
        }
        let model = try await DosingPlanForm.Model.query(
            unitID: unitID, year: year, form: nil, policy: policy, on: req.db)
        return DosingPlanForm.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func savePlan(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageCapability)
        let input = DosingPlanInput(try req.content.decode([String: String].self))
        do {
            return try await saveForm(input, policy: policy, req: req)
        } catch let conflict as DosingPlanConflict {
            // Their numbers beside each of mine that differs, mine kept; saving again keeps mine.
            let mine = try input.validate(in: policy.tree)
            var state = input.formState
            state.errors = conflict.errors(against: mine)
            let model = try await DosingPlanForm.Model.query(
                unitID: mine.unitID, year: mine.year, form: state, read: conflict.saved.fingerprint, policy: policy,
                on: req.db)
            return DosingPlanForm.View(context: try await req.pageContext(), model: model).response(status: .conflict)
        }
    }

    private static func saveForm(_ input: DosingPlanInput, policy: Policy, req: Request) async throws -> Response {
        try await req.saveForm(typed: input.formState) {
            let plan = try input.validate(in: policy.tree)
            try await plan.save(
                unitName: policy.tree.path(of: plan.unitID), read: input.read ?? "", by: policy.viewer.actor,
                on: req.db)
            return req.redirect(
                to: SiteURL.capability(.dashboard).relativeURL(query: [
                    ("unit", plan.unitID.uuidString), ("year", String(plan.year)),
                ]),
                notice: "The \(plan.year) dosing plan was saved.")
        } redraw: { state in
            // A form whose unit or year cannot be read is drawn for the organisation this year.
            let unitID =
                input.fields["unit_id"].flatMap(UUID.init(uuidString:)).flatMap { policy.tree.nodes[$0]?.id }
                ?? policy.tree.organisationID
            let year =
                input.fields["year"].flatMap(Int.init).flatMap { DosingPlanInput.years.contains($0) ? $0 : nil }
                ?? AppClock.today.year
            guard let unitID else { throw Abort(.notFound) }
            let model = try await DosingPlanForm.Model.query(
                unitID: unitID, year: year, form: state, read: input.read, policy: policy, on: req.db)
            return DosingPlanForm.View(context: try await req.pageContext(), model: model).response()
        }
    }
}

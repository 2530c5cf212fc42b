import Fluent
import Foundation
import Vapor

/// Executive WalkRounds: scheduling visits, recording what they heard, closing their follow-ups.
enum WalkRoundController {
    /// What a "Mark done" on the WalkRounds page sends, so the answer returns there.
    static let backToList = "list"

    static func register(on routes: any RoutesBuilder) {
        routes.get(SiteURL.walkRounds(.index).pathComponents, use: index)
        routes.get(SiteURL.walkRounds(.new).pathComponents, use: new)
        routes.post(SiteURL.walkRounds(.create).pathComponents, use: create)
        routes.get(SiteURL.walkRounds(.show(.key)).pathComponents, use: show)
        routes.post(SiteURL.walkRounds(.record(.key)).pathComponents, use: record)
        routes.post(SiteURL.walkRounds(.reschedule(.key)).pathComponents, use: reschedule)
        routes.post(SiteURL.walkRounds(.cancel(.key)).pathComponents, use: cancel)
        routes.post(
            SiteURL.walkRounds(.completeAction(walkRound: .key, action: .key)).pathComponents, use: completeAction)
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let today = AppClock.today
        let model = try await WalkRoundsPage.Model.query(
            unitID: try req.unitFilter("unit", in: policy.tree), policy: policy, today: today,
            cache: try await req.cachedResults(), on: req.db)
        return try await req.page(drawnOnceAs: model.pageKey(on: today)) {
            WalkRoundsPage.View(context: $0, model: model)
        }
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .planWalkRounds)
        let model = try await WalkRoundForm.Model.query(policy: policy, form: nil, on: req.db)
        return WalkRoundForm.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .planWalkRounds)
        let input = try req.content.decode(WalkRoundScheduleInput.self)
        // A team out of the viewer's reach is refused as such, before anything is checked.
        if let text = input.unit_id, let unitID = UUID(uuidString: text), policy.tree.nodes[unitID] != nil {
            try policy.require(.scheduleWalkRounds(unitID))
        }
        let offered = try await WalkRoundForm.Model.query(policy: policy, form: nil, on: req.db)
        let executives = try await WalkRound.executives(on: req.db)
        return try await req.saveForm(typed: input.formState) {
            let visit = try input.validate(teams: offered.teams, executives: offered.executives, today: AppClock.today)
            guard let executive = executives.first(where: { $0.id == visit.executiveID }) else {
                throw ValidationFailure(field: "executive_id", message: "Choose the executive from the list.")
            }
            let reaches = executive.reaches(visit.unitID, in: policy.tree)
            guard
                policy.allows(
                    .scheduleWalkRound(unitID: visit.unitID, executiveID: executive.id, executiveReaches: reaches))
            else {
                throw ValidationFailure(
                    field: "executive_id",
                    message: reaches
                        ? "You may schedule your own visits only: choose yourself, or ask the team’s QI team to book \(executive.name)."
                        : "\(executive.name)’s executive role does not reach this team: choose an executive whose role does."
                )
            }
            let team = policy.tree.nodes[visit.unitID]?.name ?? ""
            let walkRound = try await WalkRound.schedule(
                visit, names: (team, executive.name), by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.walkRounds(.show(.value(try walkRound.requireID()))).relativeURL(),
                notice: "\(executive.name)’s WalkRound to \(team) is planned for \(visit.plannedOn.label).")
        } redraw: { state in
            var model = offered
            model.form = state
            return WalkRoundForm.View(context: try await req.pageContext(), model: model).response()
        }
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await WalkRoundShow.Model.query(
            id: try req.idParameter("walkRoundID"), policy: policy, today: AppClock.today, on: req.db)
        return WalkRoundShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func record(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let id = try req.idParameter("walkRoundID")
        guard let visit = try await WalkRound.query(on: req.db).filter(\.$id == id).with(\.$executive).first() else {
            throw NotFound("WalkRound")
        }
        try policy.require(.recordWalkRound(unitID: visit.$unit.id, executiveID: visit.$executive.id))
        let typed = WalkRoundRecordInput(values: try req.content.decode([String: String].self))
        let shown = SiteURL.walkRounds(.show(.value(id))).relativeURL()
        return try await req.saveForm(typed: typed.formState) {
            let model = try await WalkRoundShow.Model.query(id: id, policy: policy, today: AppClock.today, on: req.db)
            let valid = try typed.validate(owners: model.owners, today: AppClock.today)
            let team = policy.tree.nodes[visit.$unit.id]?.name ?? ""
            try await visit.record(
                valid, name: "WalkRound by \(visit.executive.fullName) to \(team)", by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown,
                notice: "The WalkRound to \(team) on \(valid.heldOn.label) is recorded"
                    + (valid.actions.isEmpty ? "." : ", with \(valid.actions.count) to follow up."))
        } redraw: { state in
            let model = try await WalkRoundShow.Model.query(
                id: id, policy: policy, today: AppClock.today, form: state, on: req.db)
            // Recorded meanwhile: the form has gone, so the reason is told as a notice.
            guard model.isPlanned else {
                return req.redirect(to: shown, notice: state.errors.map(\.message).joined(separator: " "))
            }
            return WalkRoundShow.View(context: try await req.pageContext(), model: model).response()
        }
    }

    /// The visit named in the path, once the viewer may move or call it off, and its audit name.
    private static func moving(_ req: Request) async throws -> (Policy, WalkRound, String) {
        let policy = try await req.policy()
        guard
            let visit = try await WalkRound.query(on: req.db).filter(\.$id == req.idParameter("walkRoundID"))
                .with(\.$executive).first()
        else { throw NotFound("WalkRound") }
        try policy.require(.rescheduleWalkRound(unitID: visit.$unit.id, executiveID: visit.$executive.id))
        let team = policy.tree.nodes[visit.$unit.id]?.name ?? ""
        return (policy, visit, "WalkRound by \(visit.executive.fullName) to \(team)")
    }

    @Sendable static func reschedule(req: Request) async throws -> Response {
        let (policy, visit, name) = try await moving(req)
        struct Move: Content { var planned_on: String? }
        let move = try req.content.decode(Move.self)
        let id = try visit.requireID()
        let shown = SiteURL.walkRounds(.show(.value(id))).relativeURL()
        let today = AppClock.today
        return try await req.saveForm(typed: FormState(values: ["planned_on": move.planned_on ?? ""])) {
            var validator = Validator()
            let day = validator.day(move.planned_on, field: "planned_on", label: "the new day", required: true)
                .map(CalendarDay.init(containing:))
            if let day, day < today || day > today.adding(days: 366) {
                validator.fail("planned_on", "Move a visit to a day from today to a year ahead, not \(day.label).")
            }
            let moved = try validator.check(day) { $0 }
            try await visit.reschedule(to: moved, name: name, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown, notice: "The WalkRound is moved to \(moved.label).")
        } redraw: { state in
            let model = try await WalkRoundShow.Model.query(
                id: id, policy: policy, today: today, moveForm: state, on: req.db)
            // Held or called off meanwhile: the form has gone, so the reason is told as a notice.
            guard model.isPlanned else {
                return req.redirect(to: shown, notice: state.errors.map(\.message).joined(separator: " "))
            }
            return WalkRoundShow.View(context: try await req.pageContext(), model: model).response()
        }
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        let (policy, visit, name) = try await moving(req)
        let shown = SiteURL.walkRounds(.show(.value(try visit.requireID()))).relativeURL()
        do {
            try await visit.reschedule(to: nil, name: name, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown, notice: "The WalkRound is called off.")
        } catch let failure as ValidationFailure {
            return req.redirect(to: shown, notice: failure.reason)
        }
    }

    @Sendable static func completeAction(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let visitID = try req.idParameter("walkRoundID")
        guard
            let action = try await WalkRoundAction.query(on: req.db).filter(\.$id == req.idParameter("actionID"))
                .filter(\.$walkRound.$id == visitID).with(\.$walkRound).first()
        else { throw NotFound("follow-up") }
        let visit = action.walkRound
        try policy.require(
            .completeWalkRoundAction(
                unitID: visit.$unit.id, executiveID: visit.$executive.id, ownerID: action.$owner.id))
        struct Back: Content { var back: String? }
        let shown =
            (try? req.content.decode(Back.self))?.back == backToList
            ? SiteURL.walkRounds(.index).relativeURL() + "#follow-ups"
            : SiteURL.walkRounds(.show(.value(visitID))).relativeURL()
        do {
            try await action.complete(on: AppClock.today, unitID: visit.$unit.id, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown, notice: "“\(action.action)” is marked done.")
        } catch let failure as ValidationFailure {
            return req.redirect(to: shown, notice: failure.reason)
        }
    }
}

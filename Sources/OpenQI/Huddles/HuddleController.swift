import Fluent
import Foundation
import Vapor

/// Huddles, their actions, and escalations: quality control as teams practise it.
enum HuddleController {
    static func register(on routes: any RoutesBuilder) {
        routes.get(SiteURL.units(.huddles(.key)).pathComponents, use: index)
        routes.get(SiteURL.units(.newHuddle(.key)).pathComponents, use: new)
        routes.post(SiteURL.units(.huddles(.key)).pathComponents, use: record)
        routes.get(SiteURL.huddles(.show(.key)).pathComponents, use: show)
        routes.post(SiteURL.huddles(.completeAction(huddle: .key, issue: .key)).pathComponents, use: completeAction)
        routes.get(SiteURL.escalations(.index).pathComponents, use: escalations)
        routes.get(SiteURL.escalations(.show(.key)).pathComponents, use: escalation)
        routes.post(SiteURL.escalations(.respond(.key)).pathComponents, use: respond)
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let today = AppClock.today
        let model = try await HuddlesPage.Model.query(
            unitID: try req.idParameter("unitID"), policy: policy, today: today,
            cache: try await req.cachedResults(), on: req.db)
        return try await req.page(drawnOnceAs: model.pageKey(on: today)) { HuddlesPage.View(context: $0, model: model) }
    }

    /// The unit named in the path, in use, once the viewer may record its huddles.
    private static func recording(_ req: Request) async throws -> (Policy, HuddleChoices) {
        let policy = try await req.policy()
        let unitID = try req.idParameter("unitID")
        guard policy.tree.nodes[unitID]?.isArchived == false else { throw NotFound("unit in use") }
        try policy.require(.recordHuddles(unitID))
        return (policy, try await HuddleChoices.query(unitID: unitID, tree: policy.tree, on: req.db))
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let (policy, choices) = try await recording(req)
        let model = HuddleForm.Model(
            choices: choices, unitPath: policy.tree.path(of: choices.unitID),
            form: FormState(values: ["held_on": AppClock.today.text, "kind": HuddleKind.safety.rawValue]))
        return HuddleForm.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func record(req: Request) async throws -> Response {
        let (policy, choices) = try await recording(req)
        let typed = HuddleFormInput(values: try req.content.decode([String: String].self))
        let unitPath = policy.tree.path(of: choices.unitID)
        // Another row asked for: the same form with one more, what was typed kept, nothing saved.
        if typed.wantsAnotherRow {
            return HuddleForm.View(
                context: try await req.pageContext(),
                model: .init(choices: choices, unitPath: unitPath, form: typed.formState, rows: typed.rows + 1)
            ).response()
        }
        return try await req.saveForm(typed: typed.formState) {
            let draft = try typed.input.validate(choices: choices, today: AppClock.today) { row, field in
                HuddleFormInput.name(row, field)
            }
            let huddle = try await Huddle.record(
                draft, at: choices.unitID, unitName: choices.unitName, recordedBy: policy.viewer.personID,
                by: policy.viewer.actor, on: req.db)
            let escalated = draft.issues.count { $0.escalation != nil }
            return req.redirect(
                to: SiteURL.huddles(.show(.value(try huddle.requireID()))).relativeURL(),
                notice: "The \(draft.kind.label.lowercased()) of \(draft.heldOn.label) was recorded"
                    + (escalated == 0 ? "." : ", with \(escalated) \(escalated == 1 ? "issue" : "issues") escalated."))
        } redraw: { state in
            HuddleForm.View(
                context: try await req.pageContext(),
                model: .init(choices: choices, unitPath: unitPath, form: state, rows: typed.rows)
            ).response()
        }
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await HuddleShow.Model.query(
            id: try req.idParameter("huddleID"), policy: policy, today: AppClock.today, on: req.db)
        return HuddleShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func completeAction(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let huddleID = try req.idParameter("huddleID")
        guard
            let issue = try await HuddleIssue.query(on: req.db).filter(\.$id == req.idParameter("issueID"))
                .filter(\.$huddle.$id == huddleID).with(\.$huddle).first()
        else { throw NotFound("huddle action") }
        try policy.require(.completeHuddleAction(unitID: issue.huddle.$unit.id, ownerID: issue.$owner.id))
        // Back to the unit's page the button was on, when it names a unit; else to the huddle.
        struct Back: Content { var back: String? }
        let back = (try? req.content.decode(Back.self))?.back.flatMap(UUID.init(uuidString:))
        let shown =
            back.flatMap {
                policy.tree.nodes[$0] == nil ? nil : SiteURL.units(.huddles(.value($0))).relativeURL() + "#actions"
            }
            ?? SiteURL.huddles(.show(.value(huddleID))).relativeURL() + "#issue-\(issue.position)"
        do {
            try await issue.completeAction(
                on: AppClock.today, unitID: issue.huddle.$unit.id, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown, notice: "“\(issue.action ?? "")” is marked done.")
        } catch let failure as ValidationFailure {
            return req.redirect(to: shown, notice: failure.reason)
        }
    }

    @Sendable static func escalations(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let status = try req.choiceFilter("status", as: EscalationStatus.self, label: "a status") ?? .open
        let model = try await EscalationsPage.Model.query(
            status: status, unitID: try req.unitFilter("unit", in: policy.tree), policy: policy,
            today: AppClock.today, on: req.db)
        return EscalationsPage.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func escalation(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await EscalationShow.Model.query(
            id: try req.idParameter("escalationID"), policy: policy, today: AppClock.today, on: req.db)
        return EscalationShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func respond(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let id = try req.idParameter("escalationID")
        guard let escalation = try await Escalation.query(on: req.db).filter(\.$id == id).with(\.$issue).first() else {
            throw NotFound("escalation")
        }
        try policy.require(.answerEscalations(escalation.$toUnit.id))
        let input = try req.content.decode(EscalationResponseInput.self)
        let shown = SiteURL.escalations(.show(.value(id))).relativeURL()
        return try await req.saveForm(typed: input.formState) {
            let answer = try input.validate(answered: escalation.response != nil)
            let from = policy.tree.nodes[escalation.$fromUnit.id]?.name ?? ""
            try await escalation.respond(
                answer, named: "Escalation from \(from): \(escalation.issue.description.prefix(80))",
                respondedBy: policy.viewer.personID, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: shown,
                notice: answer.closes
                    ? "Your response was saved and the escalation is closed."
                    : "Your response was saved. The escalation stays open until it is closed.")
        } redraw: { state in
            let model = try await EscalationShow.Model.query(
                id: id, policy: policy, today: AppClock.today, form: state, on: req.db)
            // Closed meanwhile: the form has gone, so the reason is told as a notice.
            guard model.row.isOpen else {
                return req.redirect(to: shown, notice: state.errors.map(\.message).joined(separator: " "))
            }
            return EscalationShow.View(context: try await req.pageContext(), model: model).response()
        }
    }
}

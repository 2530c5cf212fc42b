import Fluent
import Foundation
import Vapor

/// A learning session's page: everyone reads it; those who manage its programme change its day,
/// place and agenda and keep its register.
enum LearningSessionController {
    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        return try await page(req, try req.idParameter("sessionID"), policy: policy) { _ in }
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let (session, programme, policy) = try await manageable(req)
        let id = try session.requireID()
        let input = try req.content.decode(LearningSessionInput.self)
        return try await req.saveEdit(input, of: session, called: "learning session") { version in
            try await session.update(
                try input.validate(), expecting: version, programme: programme, by: policy.viewer.actor, on: req.db)
            return req.redirect(to: shown(id), notice: "Your changes to the learning session were saved.")
        } redraw: { _, state in
            try await page(req, id, policy: policy) { $0.detailsForm = state }
        }
    }

    @Sendable static func register(req: Request) async throws -> Response {
        let (session, programme, policy) = try await manageable(req)
        let id = try session.requireID()
        let input = try req.content.decode(LearningSessionRegisterInput.self)
        return try await req.saveForm(typed: input.formState) {
            let teams = try await Project.query(on: req.db).filter(\.$programme.$id == programme.requireID())
                .filter(\.$status ~~ ProgrammeShow.Model.joined).with(\.$team).all()
            let listed = Dictionary(
                uniqueKeysWithValues: try teams.map {
                    (try $0.requireID(), (name: $0.title, people: Set($0.team.map(\.$person.id))))
                })
            let register = try input.validate(teams: listed)
            guard let version = input.version else { throw ValidationFailure.versionMissing(of: "register") }
            do {
                try await session.record(
                    register, shown: listed.mapValues(\.people), expecting: version, programme: programme,
                    by: policy.viewer.actor, on: req.db)
            } catch is EditConflict<LearningSession> {
                throw ValidationFailure(
                    field: "attended",
                    message:
                        "Someone saved this register after you opened the page. What you ticked and typed is below, not yet saved: save again to put it in place of theirs, or open the page afresh to see theirs."
                )
            }
            return req.redirect(to: shown(id) + "#register", notice: "The register and the teams’ plans were saved.")
        } redraw: { state in
            var state = state
            // Sent again, it replaces the register as it now stands.
            state.values["version"] = nil
            return try await page(req, id, policy: policy) { $0.registerForm = state }
        }
    }

    private static func manageable(_ req: Request) async throws -> (LearningSession, Programme, Policy) {
        let policy = try await req.policy()
        guard
            let session = try await LearningSession.query(on: req.db).filter(\.$id == req.idParameter("sessionID"))
                .with(\.$programme, { $0.with(\.$people) }).first()
        else { throw NotFound("learning session") }
        try policy.require(.manageProgramme(session.programme.access))
        return (session, session.programme, policy)
    }

    private static func shown(_ id: UUID) -> String { SiteURL.learningSessions(.show(.value(id))).relativeURL() }

    private static func page(
        _ req: Request, _ id: UUID, policy: Policy, change: (inout LearningSessionPage.Model) -> Void
    ) async throws -> Response {
        var model = try await LearningSessionPage.Model.query(id: id, policy: policy, on: req.db)
        change(&model)
        return LearningSessionPage.View(context: try await req.pageContext(), model: model).response()
    }
}

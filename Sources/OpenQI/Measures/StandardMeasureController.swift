import Fluent
import Foundation
import Vapor

/// The standard measures' pages: list and read them, and, for those who define them, add, change,
/// archive and restore.
enum StandardMeasureController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await StandardMeasureIndex.Model.query(policy: policy, on: req.db)
        return StandardMeasureIndex.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await StandardMeasureShow.Model.query(try await find(req), policy: policy, on: req.db)
        return StandardMeasureShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try await req.policy().require(.manageStandardMeasures)
        let state = FormState(values: [
            "kind": "outcome", "frequency": "monthly", "chart_type": "run", "rules": "anhoej", "direction": "up",
            "multiply": "1",
        ])
        return try await formPage(req, standard: nil, state: state)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStandardMeasures)
        var typed = try req.content.decode(MeasureInput.self)
        typed.key = nil
        let input = StandardMeasureInput(typed)
        return try await req.saveForm(typed: input.formState) {
            let valid = try input.validate(among: try await StandardMeasure.query(on: req.db).all())
            let standard = try await StandardMeasure.create(valid, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.standardMeasures(.show(.value(try standard.requireID()))).relativeURL(),
                notice: "“\(standard.name)” was added. Teams can now add a measure made from it.")
        } redraw: { state in
            try await formPage(req, standard: nil, state: state)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try await req.policy().require(.manageStandardMeasures)
        let standard = try await find(req)
        return try await formPage(req, standard: standard, state: StandardMeasureInput(standard).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStandardMeasures)
        let standard = try await find(req)
        var typed = try req.content.decode(MeasureInput.self)
        typed.key = nil
        let input = StandardMeasureInput(typed)
        let id = try standard.requireID()
        return try await req.saveEdit(input, of: standard, called: "standard measure") { version in
            let valid = try input.validate(among: try await StandardMeasure.query(on: req.db).all(), editing: id)
            try await standard.update(with: valid, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.standardMeasures(.show(.value(id))).relativeURL(),
                notice:
                    "Your changes were saved. The definition is at version \(standard.definitionVersion); each measure made from an earlier one shows the change until its team takes it."
            )
        } redraw: { standard, state in
            try await formPage(req, standard: standard, state: state)
        }
    }

    @Sendable static func archive(req: Request) async throws -> Response {
        try await setArchived(true, req: req)
    }

    @Sendable static func restore(req: Request) async throws -> Response {
        try await setArchived(false, req: req)
    }

    private static func setArchived(_ archived: Bool, req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .manageStandardMeasures)
        let standard = try await find(req)
        try await standard.setArchived(archived, by: policy.viewer.actor, on: req.db)
        return req.redirect(
            to: SiteURL.standardMeasures(.show(.value(try standard.requireID()))).relativeURL(),
            notice: archived
                ? "“\(standard.name)” was archived: no new measure is made from it; those made already keep it."
                : "“\(standard.name)” was restored.")
    }

    static func find(_ req: Request) async throws -> StandardMeasure {
        guard let standard = try await StandardMeasure.find(try req.idParameter("standardID"), on: req.db) else {
            throw NotFound("standard measure")
        }
        return standard
    }

    private static func formPage(_ req: Request, standard: StandardMeasure?, state: FormState) async throws
        -> Response
    {
        let (action, cancel) = SiteURL.StandardMeasures.form(editing: standard?.id)
        let model = MeasureForm.Model(
            ownerName: standard?.name ?? "the organisation", action: action, cancelURL: cancel, form: state,
            isEdit: standard != nil, isStandard: true)
        return MeasureForm.View(context: try await req.pageContext(), model: model).response()
    }
}

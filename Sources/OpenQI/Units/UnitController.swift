import Fluent
import Foundation
import Vapor

/// The unit pages: browse and search the organisation tree, add, edit, archive and restore units.
enum UnitController {
    @Sendable static func index(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = UnitIndex.Model.query(
            search: try req.searchFilter(), includeArchived: req.query[String.self, at: "archived"] == "1",
            policy: policy
        )
        return UnitIndex.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let policy = try await req.policy(granting: .readOrganisation)
        let model = try await UnitShow.Model.query(
            id: try req.idParameter("unitID"), policy: policy, cache: try await req.cachedResults(), on: req.db)
        return UnitShow.View(context: try await req.pageContext(), model: model).response()
    }

    @Sendable static func new(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let parentID = req.query[String.self, at: "parent_id"].flatMap(UUID.init(uuidString:))
        if let parentID {
            try policy.require(.manageUnit(parentID))
        } else if !policy.mayAddUnitsSomewhere {
            throw forbidden
        }
        let suggestedKind = parentID.flatMap { policy.tree.nodes[$0]?.kind }.map(childKind(of:)) ?? ""
        let state = FormState(values: ["parent_id": parentID?.uuidString ?? "", "kind": suggestedKind])
        return try await formPage(req, unit: nil, state: state)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let input = try req.content.decode(UnitInput.self)
        return try await req.saveForm(typed: input.formState) {
            let draft = try input.validate(in: policy.tree)
            try policy.requireCanPlaceUnit(under: draft.parentID)
            let unit = try await Unit.create(draft, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.units(.show(.value(try unit.requireID()))).relativeURL(),
                notice: "“\(unit.name)” was added.")
        } redraw: { state in
            try await formPage(req, unit: nil, state: state)
        }
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let unit = try await find(req)
        try policy.require(.manageUnit(try unit.requireID()))
        return try await formPage(req, unit: unit, state: UnitInput(unit).formState)
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let unit = try await find(req)
        let id = try unit.requireID()
        try policy.require(.manageUnit(id))
        let input = try req.content.decode(UnitInput.self)
        return try await req.saveEdit(input, of: unit, called: "unit") { saved in
            ["parent_id": saved.$parent.id.map { policy.tree.path(of: $0) } ?? "nothing (top level)"]
        } save: { version in
            let draft = try input.validate(in: policy.tree, editing: id)
            if draft.parentID != unit.$parent.id { try policy.requireCanPlaceUnit(under: draft.parentID) }
            try await unit.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
            return req.redirect(
                to: SiteURL.units(.show(.value(id))).relativeURL(), notice: "Your changes to “\(unit.name)” were saved."
            )
        } redraw: { unit, state in
            try await formPage(req, unit: unit, state: state)
        }
    }

    @Sendable static func archive(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let unit = try await find(req)
        let id = try unit.requireID()
        try policy.require(.manageUnit(id))
        do {
            try await unit.archive(by: policy.viewer.actor, in: policy.tree, on: req.db)
            return req.redirect(
                to: SiteURL.units(.show(.value(id))).relativeURL(), notice: "“\(unit.name)” was archived.")
        } catch let failure as ValidationFailure {
            return req.redirect(to: SiteURL.units(.show(.value(id))).relativeURL(), notice: failure.reason)
        }
    }

    @Sendable static func restore(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let unit = try await find(req)
        let id = try unit.requireID()
        try policy.require(.manageUnit(id))
        try await unit.restore(by: policy.viewer.actor, on: req.db)
        return req.redirect(to: SiteURL.units(.show(.value(id))).relativeURL(), notice: "“\(unit.name)” was restored.")
    }

    static func find(_ req: Request) async throws -> Unit {
        guard let unit = try await Unit.find(try req.idParameter("unitID"), on: req.db) else {
            throw NotFound("unit")
        }
        return unit
    }

    private static let forbidden = Abort(
        .forbidden, reason: "Only administrators can add units. Ask an administrator of this part of the organisation.")

    /// The kind most often added below a unit of this kind, to save a click.
    private static func childKind(of kind: UnitKind) -> String {
        switch kind {
        case .organisation, .partner: UnitKind.directorate.rawValue
        case .directorate: UnitKind.service.rawValue
        case .service, .team, .ward: UnitKind.team.rawValue
        }
    }

    private static func formPage(_ req: Request, unit: Unit?, state: FormState)
        async throws -> Response
    {
        let policy = try await req.policy()
        let model = UnitForm.Model(
            unitID: unit?.id, unitName: unit?.name, form: state,
            parentOptions: policy.tree.parentOptions(excludingSubtreeOf: unit?.id)
        )
        return UnitForm.View(context: try await req.pageContext(), model: model).response()
    }
}

extension UnitInput: VersionedInput {
    init(_ unit: Unit) {
        self.init(
            name: unit.name, kind: unit.kind.rawValue, parent_id: unit.$parent.id?.uuidString,
            description: unit.summary, version: unit.version)
    }

    static let labels: [(field: String, label: String)] = [
        ("name", "Name"), ("kind", "Kind of unit"), ("parent_id", "Belongs to"), ("description", "Description"),
    ]
}

import Fluent
import Foundation
import Vapor

/// A unit as the API returns it.
struct UnitDTO: Content, Equatable {
    let id: UUID
    let name: String
    let kind: UnitKind
    let parent_id: UUID?
    let description: String?
    let archived: Bool
    /// Where the unit sits: "Trust › Community Health › Ward 7".
    let path: String
    /// Moves on with every edit; a PUT sends back the version it began from.
    let version: Int
}

/// `/api/v1/units`: the same operations and validation as the unit pages, as JSON.
enum UnitAPIController {
    @Sendable static func index(req: Request) async throws -> [UnitDTO] {
        let policy = try await req.policy(granting: .readOrganisation)
        let parent = try req.unitFilter("parent", in: policy.tree)
        let includeArchived = try req.yesNoFilter("archived")
        let search = try req.searchFilter() ?? ""
        var query = Unit.query(on: req.db).sort(\.$name)
        if let parent { query = query.filter(\.$parent.$id == parent) }
        if !includeArchived { query = query.filter(\.$archivedAt == nil) }
        return try await query.all()
            .filter { search.isEmpty || $0.name.localizedCaseInsensitiveContains(search) }
            .map { try UnitDTO($0, tree: policy.tree) }
    }

    @Sendable static func show(req: Request) async throws -> UnitDTO {
        let policy = try await req.policy(granting: .readOrganisation)
        return try UnitDTO(try await UnitController.find(req), tree: policy.tree)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let policy = try await req.policy()
        let draft = try req.content.decode(UnitInput.self).validate(in: policy.tree)
        try policy.requireCanPlaceUnit(under: draft.parentID)
        let unit = try await Unit.create(draft, by: policy.viewer.actor, on: req.db)
        let tree = try await UnitTree.load(on: req.db)
        return try await UnitDTO(unit, tree: tree).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> UnitDTO {
        let policy = try await req.policy()
        let unit = try await UnitController.find(req)
        let id = try unit.requireID()
        try policy.require(.manageUnit(id))
        let input = try req.content.decode(UnitInput.self)
        let draft = try input.validate(in: policy.tree, editing: id)
        guard let version = input.version else { throw ValidationFailure.versionMissing(of: "unit") }
        if draft.parentID != unit.$parent.id { try policy.requireCanPlaceUnit(under: draft.parentID) }
        do {
            try await unit.update(with: draft, expecting: version, by: policy.viewer.actor, on: req.db)
        } catch let conflict as EditConflict<Unit> {
            throw conflict.refusal(of: "unit", from: version)
        }
        return try UnitDTO(unit, tree: try await UnitTree.load(on: req.db))
    }
}

extension UnitDTO {
    init(_ unit: Unit, tree: UnitTree) throws {
        let id = try unit.requireID()
        self.init(
            id: id, name: unit.name, kind: unit.kind, parent_id: unit.$parent.id, description: unit.summary,
            archived: unit.isArchived, path: tree.nodes[id] == nil ? unit.name : tree.path(of: id),
            version: unit.version)
    }
}

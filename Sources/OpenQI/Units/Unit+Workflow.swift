import Fluent
import Foundation
import Vapor

extension Unit {
    /// Creates a unit from a valid draft and records it in the audit log, in one transaction.
    static func create(_ draft: UnitDraft, by actor: Actor, on db: any Database) async throws -> Unit {
        let unit = Unit(name: draft.name, kind: draft.kind, parentID: draft.parentID, summary: draft.summary)
        try await unit.saveAudited(.create, by: actor, on: db)
        return unit
    }

    /// Saves an edit that began from version `expected`; throws `EditConflict` when someone saved
    /// the unit since.
    func update(with draft: UnitDraft, expecting expected: Int, by actor: Actor, on db: any Database) async throws {
        let before = auditFields
        name = draft.name
        kind = draft.kind
        $parent.id = draft.parentID
        summary = draft.summary
        try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db)
    }

    /// Archives the unit. A unit with units in use below it cannot be archived: they would be lost from view.
    func archive(by actor: Actor, in tree: UnitTree, on db: any Database) async throws {
        let id = try requireID()
        let activeChildren = tree.children(of: id).filter { !$0.isArchived }
        guard activeChildren.isEmpty else {
            throw ValidationFailure(
                field: "unit",
                message:
                    "“\(name)” still has \(activeChildren.count) unit\(activeChildren.count == 1 ? "" : "s") in use below it. Archive or move them first."
            )
        }
        try await setArchived(true, by: actor, on: db)
    }

    func restore(by actor: Actor, on db: any Database) async throws {
        try await setArchived(false, by: actor, on: db)
    }
}

import Fluent
import Foundation
import Vapor

/// A unit as typed into the form or sent to the API (snake_case names, all text, all optional),
/// before validation turns it into a `UnitDraft`.
struct UnitInput: Content, Sendable {
    var name: String?
    var kind: String?
    var parent_id: String?
    var description: String?
    /// The version an edit began from: the edit form's hidden field, and required by the API's PUT.
    var version: Int? = nil

    var formState: FormState {
        FormState(values: [
            "name": name ?? "", "kind": kind ?? "", "parent_id": parent_id ?? "", "description": description ?? "",
            "version": version.map(String.init) ?? "",
        ])
    }
}

/// A valid unit, ready to save.
struct UnitDraft: Sendable, Equatable {
    var name: String
    var kind: UnitKind
    var parentID: UUID?
    var summary: String?
}

extension UnitInput {
    static let maximumNameLength = 120

    /// Checks the input against the tree: a parent that exists and is in use, no loops, and no
    /// sibling with the same name. `editing` is the unit being changed, if any.
    func validate(in tree: UnitTree, editing: UUID? = nil) throws -> UnitDraft {
        var validator = Validator()
        let name = validator.requiredText(name, field: "name", label: "a name", maxLength: Self.maximumNameLength)
        let kind = validator.choice(kind, field: "kind", label: "the kind of unit", as: UnitKind.self)
        let parentID = validator.identifier(parent_id, field: "parent_id", label: "parent unit", required: false)
        let summary = validator.optionalText(
            description, field: "description", label: "the description", maxLength: 2000)

        if let kind {
            if kind.isTopLevel, parentID != nil {
                validator.fail("parent_id", "\(kind.label)s sit at the top of the tree. Leave the parent empty.")
            } else if !kind.isTopLevel, parentID == nil, validator.errors.allSatisfy({ $0.field != "parent_id" }) {
                validator.fail("parent_id", "Choose the unit this \(kind.label.lowercased()) belongs to.")
            }
        }
        if let parentID {
            if let parent = tree.nodes[parentID] {
                if parent.isArchived {
                    validator.fail(
                        "parent_id", "“\(parent.name)” is archived. Choose a unit that is in use, or restore it first.")
                } else if let editing, tree.selfAndAncestors(of: parentID).contains(editing) {
                    validator.fail(
                        "parent_id", "A unit cannot sit below itself or one of its own units. Choose another parent.")
                }
            } else {
                validator.fail("parent_id", "There is no unit with this identifier. Choose a parent from the list.")
            }
        }
        if !name.isEmpty {
            let clash = tree.children(of: parentID).first {
                $0.id != editing && !$0.isArchived && $0.name.caseInsensitiveCompare(name) == .orderedSame
            }
            if let clash {
                let place = parentID.flatMap { tree.nodes[$0]?.name }.map { "in \($0)" } ?? "at the top level"
                validator.fail(
                    "name", "There is already a unit called “\(clash.name)” \(place). Choose a different name.")
            }
        }
        return try validator.check(kind) { kind in
            UnitDraft(name: name, kind: kind, parentID: parentID, summary: summary)
        }
    }
}

extension Validator {
    /// Records an error on `field` unless `unitID`, when there is one, names a unit of the tree that
    /// is in use: people and projects belong to units that exist and are not archived.
    mutating func unitInUse(_ unitID: UUID?, field: String, in tree: UnitTree) {
        guard let unitID else { return }
        if let unit = tree.nodes[unitID] {
            if unit.isArchived {
                fail(field, "“\(unit.name)” is archived. Choose a unit that is in use.")
            }
        } else {
            fail(field, "There is no unit with this identifier. Choose a unit from the list.")
        }
    }
}

import Fluent
import Foundation

enum UnitIndex {
    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let kind: UnitKind
        let depth: Int
        let path: String
        let isArchived: Bool
    }

    struct Model: Sendable, Equatable {
        var query: String
        var includeArchived: Bool
        var rows: [Row]
        var canCreate: Bool
    }
}

extension UnitIndex.Model {
    /// The tree as an outline, or, when searching, the units whose name matches with their place in the tree.
    static func query(search: String?, includeArchived: Bool, policy: Policy) -> Self {
        let tree = policy.tree
        let search = search?.trimmingCharacters(in: .whitespaces) ?? ""
        let rows: [UnitIndex.Row] = tree.outline(includeArchived: includeArchived).compactMap { node, depth in
            guard search.isEmpty || node.name.localizedCaseInsensitiveContains(search) else { return nil }
            return .init(
                id: node.id, name: node.name, kind: node.kind, depth: search.isEmpty ? depth : 0,
                path: tree.path(of: node.id), isArchived: node.isArchived
            )
        }
        return .init(
            query: search, includeArchived: includeArchived, rows: rows, canCreate: policy.mayAddUnitsSomewhere)
    }
}

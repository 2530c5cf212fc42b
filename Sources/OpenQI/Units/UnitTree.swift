import Fluent
import Foundation
import SQLKit
import Vapor

/// The organisation tree in memory: parent links of every unit, for role inheritance and
/// roll-ups. A trust has hundreds of units at most, so one small query builds it.
package struct UnitTree: Sendable, Equatable {
    package struct Node: Sendable, Equatable {
        let id: UUID
        let parentID: UUID?
        let name: String
        let kind: UnitKind
        let isArchived: Bool
    }

    /// A unit in the outline, at its depth.
    private struct Entry: Sendable, Equatable {
        let node: Node
        let depth: Int
    }

    private(set) var nodes: [UUID: Node] = [:]
    /// Each unit's children, and the roots, sorted by name once: the tree is loaded once per
    /// revision of the records, and every select list and outline walks it.
    private var children: [UUID: [UUID]] = [:]
    private var roots: [UUID] = []
    private var inUse: [Entry] = []
    private var everything: [Entry] = []

    package init(_ nodes: [Node]) {
        for node in nodes {
            self.nodes[node.id] = node
            if let parent = node.parentID { children[parent, default: []].append(node.id) }
        }
        let byName = { [self] (a: UUID, b: UUID) in
            (self.nodes[a]?.name ?? "").localizedStandardCompare(self.nodes[b]?.name ?? "") == .orderedAscending
        }
        for (parent, ids) in children { children[parent] = ids.sorted(by: byName) }
        roots = nodes.filter { $0.parentID == nil }.map(\.id).sorted(by: byName)
        func visit(_ id: UUID, depth: Int, archivedAbove: Bool) {
            guard let node = self.nodes[id] else { return }
            let archived = archivedAbove || node.isArchived
            everything.append(Entry(node: node, depth: depth))
            if !archived { inUse.append(Entry(node: node, depth: depth)) }
            for child in children[id] ?? [] { visit(child, depth: depth + 1, archivedAbove: archived) }
        }
        for root in roots { visit(root, depth: 0, archivedAbove: false) }
    }

    /// Read as plain rows: every signed-in request needs the tree, and a large trust's thousand
    /// units as Fluent models took tens of milliseconds.
    package static func load(on db: any Database) async throws -> UnitTree {
        let rows = try await db.sql.select().columns("id", "parent_id", "name", "kind", "archived_at")
            .from(Unit.schema).all()
        return UnitTree(
            try rows.map { row in
                Node(
                    id: try row.decode(column: "id", as: UUID.self),
                    parentID: try row.decode(column: "parent_id", as: UUID?.self),
                    name: try row.decode(column: "name", as: String.self),
                    kind: UnitKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .team,
                    isArchived: try row.decode(column: "archived_at", as: Date?.self) != nil)
            })
    }

    /// The unit itself followed by its parent, grandparent, … up to the root.
    /// Stops on a cycle rather than looping, though the editor never lets one form.
    package func selfAndAncestors(of id: UUID) -> [UUID] {
        var chain: [UUID] = []
        var current: UUID? = id
        while let unit = current, nodes[unit] != nil, !chain.contains(unit) {
            chain.append(unit)
            current = nodes[unit]?.parentID
        }
        return chain
    }

    /// The unit and everything below it.
    /// The organisation at the top of the tree, where there is one in use.
    package var organisationID: UUID? {
        children(of: nil).first { $0.kind == .organisation && !$0.isArchived }?.id
    }

    package func subtree(of id: UUID) -> Set<UUID> {
        var result: Set<UUID> = []
        var stack = [id]
        while let next = stack.popLast() {
            guard result.insert(next).inserted else { continue }
            stack.append(contentsOf: children[next] ?? [])
        }
        return result
    }

    /// "Trust › Community Health › Ward 7": where a unit sits, for labels and select lists.
    package func path(of id: UUID) -> String {
        selfAndAncestors(of: id).reversed().compactMap { nodes[$0]?.name }.joined(separator: " › ")
    }

    /// The path below `ancestor`, for lists inside one unit's view: "Adult Mental Health › Cedar Ward"
    /// on the trust's pages, where many wards share a name; the unit's own name for `ancestor` itself;
    /// the full path when `id` is not below it.
    package func path(of id: UUID, below ancestor: UUID) -> String {
        let chain = selfAndAncestors(of: id)
        guard let index = chain.firstIndex(of: ancestor) else { return path(of: id) }
        return chain[..<max(index, 1)].reversed().compactMap { nodes[$0]?.name }.joined(separator: " › ")
    }

    /// The path below the top of the tree: "Adult Mental Health › Cedar Ward", for lists across the
    /// organisation where every row would begin with its name.
    package func pathBelowRoot(of id: UUID) -> String {
        path(of: id, below: selfAndAncestors(of: id).last ?? id)
    }

    package func children(of id: UUID?) -> [Node] {
        (id.map { children[$0] ?? [] } ?? roots).compactMap { nodes[$0] }
    }

    /// Units in tree order with their depth, for select lists and outlines; a unit archived, and
    /// everything below it, only when asked for.
    package func outline(includeArchived: Bool = false) -> [(node: Node, depth: Int)] {
        (includeArchived ? everything : inUse).map { ($0.node, $0.depth) }
    }
}

extension UnitTree {
    /// The whole tree, the same for everyone.
    struct Key: ResultKey {}
}

extension Request {
    /// `?name=ID` naming a unit of the organisation, or nil when absent.
    func unitFilter(_ name: String, in tree: UnitTree) throws -> UUID? {
        guard let text = query[String.self, at: name], !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text), tree.nodes[id] != nil else {
            throw ValidationFailure(field: name, message: "“\(text)” is not a unit of this organisation.")
        }
        return id
    }
}

extension UnitTree: ResultCost {
    /// Each node holds a few ids and a name: counted without walking the whole tree, which is kept
    /// afresh after every change to the organisation.
    var approximateBytes: Int { nodes.values.reduce(0) { $0 + 160 + $1.name.utf8.count } }
}

extension UnitTree {
    /// Units to choose from (a unit's parent, the unit a plan or programme belongs to), indented
    /// by depth, for select lists.
    /// Units with units below them, for choosing a part of the organisation (not a single team).
    func groupOptions() -> [FormField.Option] {
        outline().filter { !(children[$0.node.id] ?? []).isEmpty }.map { node, depth in
            .init(value: node.id.uuidString, label: String(repeating: "— ", count: depth) + node.name)
        }
    }

    func parentOptions(excludingSubtreeOf excluded: UUID? = nil) -> [FormField.Option] {
        let hidden = excluded.map { subtree(of: $0) } ?? []
        return outline().filter { !hidden.contains($0.node.id) }.map { node, depth in
            .init(value: node.id.uuidString, label: String(repeating: "— ", count: depth) + node.name)
        }
    }
}

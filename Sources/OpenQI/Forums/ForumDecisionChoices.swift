import Fluent
import Foundation

/// The people a forum may appoint to a project: the QI coaches and sponsors whose role covers the
/// project's unit (granted there or above it), each told apart from a namesake by their own unit and
/// shown with how many active projects they already coach or sponsor, so the chair can share the load.
struct ForumDecisionChoices: Sendable, Equatable {
    var coaches: [FormField.Option]
    var sponsors: [FormField.Option]

    /// The choices for projects in each of `units`, keyed by unit, read in two queries.
    static func load(forUnits units: Set<UUID>, tree: UnitTree, on db: any Database) async throws -> [UUID: Self] {
        guard !units.isEmpty else { return [:] }
        let grants = try await RoleGrant.query(on: db).filter(\.$role ~~ [.coach, .sponsor]).with(\.$person).all()
            .filter { !$0.person.isArchived }
        let people = Set(grants.map(\.$person.id))
        let active = try await Project.query(on: db).filter(\.$status == .active)
            .group(.or) { $0.filter(\.$coach.$id ~~ Array(people)).filter(\.$sponsor.$id ~~ Array(people)) }
            .all()
        var load: [Role: [UUID: Int]] = [:]
        for project in active {
            if let coach = project.$coach.id { load[.coach, default: [:]][coach, default: 0] += 1 }
            if let sponsor = project.$sponsor.id { load[.sponsor, default: [:]][sponsor, default: 0] += 1 }
        }
        func options(_ role: Role, covering unit: UUID) -> [FormField.Option] {
            let chain = Set(tree.selfAndAncestors(of: unit))
            var seen: Set<UUID> = []
            let people = grants.filter { $0.role == role && chain.contains($0.$unit.id) }.map(\.person)
                .filter { seen.insert($0.id!).inserted }
                .sorted { ($0.fullName, $0.id!.uuidString) < ($1.fullName, $1.id!.uuidString) }
            return zip(people, Self.names(people, tree: tree)).map { person, name in
                let count = load[role]?[person.id!] ?? 0
                let projects =
                    switch count {
                    case 0: "no active projects"
                    case 1: "1 active project"
                    default: "\(count) active projects"
                    }
                return .init(
                    value: person.id!.uuidString,
                    label: name + " · \(role == .coach ? "coaches" : "sponsors") \(projects)")
            }
        }
        return units.reduce(into: [:]) { choices, unit in
            choices[unit] = Self(coaches: options(.coach, covering: unit), sponsors: options(.sponsor, covering: unit))
        }
    }

    /// Each person's name with their own unit ("Sam Patel — Willow Ward"); where that leaves two
    /// alike, the unit's whole path, then their job title, then a count, so no two read the same.
    static func names(_ people: [Person], tree: UnitTree) -> [String] {
        func joined(_ parts: [String?]) -> String { parts.compactMap { $0 }.joined(separator: " — ") }
        func repeated(_ names: [String]) -> (Int) -> Bool {
            let counts = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
            return { counts[names[$0], default: 0] > 1 }
        }
        var names = people.map { joined([$0.fullName, $0.$unit.id.flatMap { tree.nodes[$0]?.name }]) }
        var alike = repeated(names)
        for (index, person) in people.enumerated() where alike(index) {
            names[index] = joined([person.fullName, person.$unit.id.map { tree.path(of: $0) }])
        }
        alike = repeated(names)
        for (index, person) in people.enumerated() where alike(index) {
            names[index] = joined([names[index], person.jobTitle])
        }
        alike = repeated(names)
        var seen: [String: Int] = [:]
        for index in names.indices where alike(index) {
            let name = names[index]
            seen[name, default: 0] += 1
            names[index] = "\(name) (\(seen[name]!))"
        }
        return names
    }

    /// Whether `person` holds `role` for `unit`: the rule the choices follow, checked again when a
    /// decision is saved, since a form can be sent with any value.
    static func holds(_ role: Role, person: UUID, for unit: UUID, tree: UnitTree, on db: any Database) async throws
        -> Bool
    {
        try await RoleGrant.query(on: db).filter(\.$person.$id == person).filter(\.$role == role)
            .filter(\.$unit.$id ~~ tree.selfAndAncestors(of: unit)).count() > 0
    }
}

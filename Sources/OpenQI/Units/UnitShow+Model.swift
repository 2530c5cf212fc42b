import Fluent
import Foundation
import Vapor

enum UnitShow {
    struct PersonRow: Sendable, Equatable {
        let id: UUID
        let name: String
        let kind: PersonKind
        let jobTitle: String?
    }

    struct GrantRow: Sendable, Equatable {
        let personID: UUID
        let personName: String
        let role: Role
    }

    struct Model: Sendable, Equatable {
        var id: UUID
        var name: String
        var kind: UnitKind
        var summary: String?
        var isArchived: Bool
        var ancestors: [PageContext.Link]
        var children: [UnitIndex.Row]
        var people: [PersonRow]
        var peopleCount: Int
        var grants: [GrantRow]
        var canManage: Bool
        var canManagePeople: Bool
        /// This year's improvement capability of the unit's people: each group's lines with anyone in
        /// them (`/capability` has the whole page).
        var capability: [DosingFigures.Line] = []
    }
}

extension UnitShow.Model {
    static let peopleShown = 50

    static func query(id: UUID, policy: Policy, cache: CachedResults, on db: any Database) async throws -> Self {
        guard let unit = try await Unit.find(id, on: db) else {
            throw NotFound("unit")
        }
        let tree = policy.tree
        let people = try await Person.query(on: db)
            .filter(\.$unit.$id == id).filter(\.$archivedAt == nil)
            .sort(\.$fullName).limit(peopleShown).all()
        let peopleCount = try await Person.query(on: db).filter(\.$unit.$id == id).filter(\.$archivedAt == nil).count()
        let grants = try await RoleGrant.query(on: db).filter(\.$unit.$id == id).with(\.$person).all()
        return .init(
            id: id, name: unit.name, kind: unit.kind, summary: unit.summary, isArchived: unit.isArchived,
            ancestors: tree.selfAndAncestors(of: id).dropFirst().reversed().compactMap { ancestor in
                tree.nodes[ancestor].map {
                    .init(label: $0.name, url: SiteURL.units(.show(.value($0.id))).relativeURL())
                }
            },
            children: tree.children(of: id).map {
                .init(id: $0.id, name: $0.name, kind: $0.kind, depth: 0, path: "", isArchived: $0.isArchived)
            },
            people: people.compactMap { person in
                person.id.map { .init(id: $0, name: person.fullName, kind: person.kind, jobTitle: person.jobTitle) }
            },
            peopleCount: peopleCount,
            grants: grants.map { .init(personID: $0.$person.id, personName: $0.person.fullName, role: $0.role) }
                .sorted { ($0.role, $0.personName) < ($1.role, $1.personName) },
            canManage: policy.allows(.manageUnit(id)),
            canManagePeople: policy.allows(.managePeople(in: id)),
            capability: try await DosingFigures.cached(
                unitID: id, year: AppClock.today.year, tree: tree, today: AppClock.today, cache: cache, on: db
            ).lines.filter { $0.members > 0 }
        )
    }
}

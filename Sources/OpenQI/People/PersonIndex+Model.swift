import Fluent
import Foundation

enum PersonIndex {
    struct Row: Sendable, Equatable {
        let id: UUID
        let name: String
        let kind: PersonKind
        let unitPath: String
        let jobTitle: String?
        let isArchived: Bool
        var awaitsApproval = false
    }

    struct Model: Sendable, Equatable {
        var query: String
        var kind: PersonKind?
        var unitID: UUID?
        var includeArchived: Bool
        /// Only people invited onto teams whose records await approval.
        var awaitingOnly = false
        var rows: [Row]
        var total: Int
        var page: Int
        var pageSize: Int
        var canCreate: Bool
        var unitOptions: [FormField.Option]
    }
}

extension PersonIndex.Model {
    static let pageSize = 50

    /// People matching the search, kind and unit (including units below it). The search finds part
    /// of a name, job title or unit name; part of an email address only among people whose
    /// addresses the viewer may read (`Policy.peopleScope`), since elsewhere a search finding
    /// someone by each longer prefix would spell out an address the list never shows. Anyone may
    /// find a colleague by the whole address they already know.
    static func query(
        search: String?, kind: PersonKind?, unitID: UUID?, includeArchived: Bool, awaitingOnly: Bool = false,
        page: Int, policy: Policy, on db: any Database
    ) async throws -> Self {
        let search = search?.trimmingCharacters(in: .whitespaces) ?? ""
        var query = Person.query(on: db)
        if !search.isEmpty {
            // People of a unit whose name holds the search match too ("willow" finds Willow Ward's).
            let units = policy.tree.nodes.values.filter { $0.name.localizedCaseInsensitiveContains(search) }.map(\.id)
            // Part of an email address only among the people whose addresses the viewer may read:
            // elsewhere it would spell an address out a letter at a time. The whole address anyone may use.
            let readable = policy.peopleScope
            query = query.group(.or) { either in
                either.containing(search, inAnyOf: \.$fullName, \.$jobTitle)
                if search.contains("@") { either.filter(\.$email == Account.normalise(email: search)) }
                if readable.map({ !$0.isEmpty }) ?? true {
                    either.group(.and) { inScope in
                        inScope.containing(search, inAnyOf: \.$email)
                        if let readable { inScope.filter(\.$unit.$id ~~ Array(readable)) }
                    }
                }
                if !units.isEmpty { either.filter(\.$unit.$id ~~ units) }
            }
        }
        if let kind { query = query.filter(\.$kind == kind) }
        if let unitID { query = query.filter(\.$unit.$id ~~ Array(policy.tree.subtree(of: unitID))) }
        if !includeArchived { query = query.filter(\.$archivedAt == nil) }
        if awaitingOnly { query = query.awaitingApproval() }
        let total = try await query.count()
        let page = max(1, page)
        let people = try await query.sort(\.$fullName).range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return .init(
            query: search, kind: kind, unitID: unitID, includeArchived: includeArchived, awaitingOnly: awaitingOnly,
            rows: people.compactMap { person in
                person.id.map {
                    .init(
                        id: $0, name: person.fullName, kind: person.kind,
                        unitPath: person.$unit.id.map { policy.tree.path(of: $0) } ?? "",
                        jobTitle: person.jobTitle, isArchived: person.isArchived,
                        awaitsApproval: person.awaitsApproval
                    )
                }
            },
            total: total, page: page, pageSize: pageSize,
            canCreate: policy.mayAddPeopleSomewhere,
            unitOptions: policy.tree.parentOptions()
        )
    }
}

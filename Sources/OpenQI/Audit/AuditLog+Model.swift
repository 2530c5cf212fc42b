import Fluent
import Foundation
import Vapor

enum AuditLog {
    struct Change: Sendable, Equatable {
        let field: String
        let before: String?
        let after: String?
    }

    struct Row: Sendable, Equatable {
        let occurredAt: Date
        let actorName: String
        let action: AuditAction?
        let actionText: String
        let subjectKind: String
        let subjectName: String
        let subjectURL: String?
        let unitPath: String?
        let changes: [Change]
    }

    struct Filter: Sendable, Equatable {
        var personID: UUID?
        var unitID: UUID?
        var from: Date?
        var to: Date?
    }

    struct Model: Sendable, Equatable {
        var filter: Filter
        var form: FormState
        var rows: [Row]
        var unitOptions: [FormField.Option]
        /// People with a sign-in: those who can appear as "who".
        var personOptions: [FormField.Option]
        var limit: Int
    }
}

extension AuditLog.Model {
    static let limit = 200
    /// The kinds of record the strategy's changes are audited as.
    static let strategyKinds = ["strategy", "objective", "priority", "standard_measure"]

    /// The newest entries matching the filter, limited to the units the viewer administers.
    /// Filtering by person finds what they did (with their sign-in) and what was done to them.
    static func query(filter: AuditLog.Filter, form: FormState, policy: Policy, on db: any Database) async throws
        -> Self
    {
        try policy.require(.viewAuditLog)
        var query = AuditEntry.query(on: db).sort(\.$occurredAt, .descending)
        if let scope = policy.auditScope {
            query = query.group(.or) { group in
                group.filter(\.$unitID ~~ Array(scope))
                // The strategy is the whole organisation's, in no unit: those who set it read its trail.
                if policy.allows(.manageStrategy) { group.filter(\.$subjectKind ~~ Self.strategyKinds) }
            }
        }
        if let unitID = filter.unitID { query = query.filter(\.$unitID ~~ Array(policy.tree.subtree(of: unitID))) }
        if let personID = filter.personID {
            let accounts = try await Account.query(on: db).filter(\.$person.$id == personID).all().compactMap(\.id)
            query = query.group(.or) { group in
                group.filter(\.$subjectID == personID)
                if !accounts.isEmpty { group.filter(\.$actorAccountID ~~ accounts).filter(\.$subjectID ~~ accounts) }
            }
        }
        if let from = filter.from { query = query.filter(\.$occurredAt >= from) }
        if let to = filter.to { query = query.filter(\.$occurredAt < to.addingTimeInterval(24 * 3600)) }
        let entries = try await query.limit(limit).all()
        let tree = policy.tree
        let people = try await Account.query(on: db).with(\.$person).all().map(\.person).sorted {
            $0.fullName < $1.fullName
        }
        let words = try await AuditWords.load(for: entries, tree: tree, on: db)
        return .init(
            filter: filter, form: form,
            rows: entries.map { AuditLog.Row($0, tree: tree, words: words) },
            unitOptions: tree.parentOptions(),
            personOptions: people.compactMap { person in
                person.id.map { .init(value: $0.uuidString, label: person.fullName) }
            },
            limit: limit
        )
    }

}

extension AuditLog.Row {
    init(_ entry: AuditEntry, tree: UnitTree, words: AuditWords) {
        let action = AuditAction(rawValue: entry.action)
        self.init(
            occurredAt: entry.occurredAt, actorName: entry.actorName, action: action,
            actionText: action?.label ?? entry.action,
            subjectKind: entry.subjectKind.replacingOccurrences(of: "_", with: " "),
            subjectName: entry.subjectName, subjectURL: Self.url(kind: entry.subjectKind, id: entry.subjectID),
            unitPath: entry.unitID.flatMap { tree.nodes[$0] == nil ? nil : tree.path(of: $0) },
            changes: entry.changedFields.map { change in
                let say = { (value: String?) in
                    value.map { words.say($0, field: change.field, kind: entry.subjectKind) }
                }
                return .init(
                    field: change.field.replacingOccurrences(of: "_", with: " "), before: say(change.before),
                    after: say(change.after))
            }
        )
    }

    private static func url(kind: String, id: UUID?) -> String? {
        guard let id else { return nil }
        switch kind {
        case "unit": return SiteURL.units(.show(.value(id))).relativeURL()
        case "person": return SiteURL.people(.show(.value(id))).relativeURL()
        case "project": return SiteURL.projects(.show(.value(id))).relativeURL()
        case "measure", "measure_data": return SiteURL.measures(.show(.value(id))).relativeURL()
        case "pdsa_cycle": return SiteURL.cycles(.show(.value(id))).relativeURL()
        case "story": return SiteURL.stories(.show(.value(id))).relativeURL()
        case "objective", "priority": return SiteURL.strategy(.show).relativeURL()
        case "standard_measure": return SiteURL.standardMeasures(.show(.value(id))).relativeURL()
        default: return nil
        }
    }
}

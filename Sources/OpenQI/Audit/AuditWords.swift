import Fluent
import Foundation

/// An audit entry's values as people read them: the records an id names by their names, and the
/// codes of a status, stage, kind or role by their labels (`coach: (empty) → Sam Whitfield`, not
/// the coach's id; `status: Proposed → Active`, not `proposed → active`).
struct AuditWords: Sendable {
    /// Names of the records the entries' values name, by id.
    let names: [UUID: String]

    /// Reads, in one query per kind of record, the names of every id the entries' values hold.
    static func load(for entries: [AuditEntry], tree: UnitTree, on db: any Database) async throws -> Self {
        let ids = Set(
            entries.flatMap { entry in
                entry.changedFields.flatMap { [$0.before, $0.after] }.compactMap { $0 }
                    .flatMap { $0.split(separator: " ").compactMap { UUID(uuidString: String($0)) } }
            })
        guard !ids.isEmpty else { return Self(names: [:]) }
        let wanted = Array(ids)
        var names: [UUID: String] = [:]
        for id in wanted { if let node = tree.nodes[id] { names[id] = tree.path(of: node.id) } }
        for person in try await Person.query(on: db).filter(\.$id ~~ wanted).all() {
            names[person.id!] = person.fullName
        }
        for project in try await Project.query(on: db).filter(\.$id ~~ wanted).all() {
            names[project.id!] = project.title
        }
        for measure in try await Measure.query(on: db).filter(\.$id ~~ wanted).all() {
            names[measure.id!] = measure.name
        }
        for driver in try await Driver.query(on: db).filter(\.$id ~~ wanted).all() { names[driver.id!] = driver.text }
        for idea in try await ChangeIdea.query(on: db).filter(\.$id ~~ wanted).all() { names[idea.id!] = idea.title }
        for priority in try await Priority.query(on: db).filter(\.$id ~~ wanted).all() {
            names[priority.id!] = priority.name
        }
        for objective in try await StrategicObjective.query(on: db).filter(\.$id ~~ wanted).all() {
            names[objective.id!] = objective.name
        }
        for standard in try await StandardMeasure.query(on: db).filter(\.$id ~~ wanted).all() {
            names[standard.id!] = standard.name
        }
        return Self(names: names)
    }

    /// `value` of `field` in an entry about a `kind` of record, in words.
    func say(_ value: String, field: String, kind: String) -> String {
        if let label = Self.label(value, field: field, kind: kind) { return label }
        let parts = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        // Ids, alone or as a list (a secondary driver's primaries): each by its name, else kept.
        guard parts.contains(where: { UUID(uuidString: $0) != nil }) else { return value }
        return parts.map { part in UUID(uuidString: part).flatMap { names[$0] } ?? part }
            .joined(separator: parts.count > 1 ? "; " : "")
    }

    /// The label of a code, for the fields that hold one.
    private static func label(_ code: String, field: String, kind: String) -> String? {
        switch (field, kind) {
        case ("status", "pdsa_cycle"): PDSAStatus(rawValue: code)?.label
        case ("status", _): ProjectStatus(rawValue: code)?.label
        case ("stage", _): ImprovementStage(rawValue: code)?.label
        case ("involvement", _): ServiceUserInvolvement(rawValue: code)?.label
        case ("decision", _): PDSADecision(rawValue: code)?.label
        case ("role", "role_grant"): Role(rawValue: code)?.label
        case ("kind", "unit"): UnitKind(rawValue: code)?.label
        case ("kind", "person"): PersonKind(rawValue: code)?.label
        case ("kind", "measure"): MeasureKind(rawValue: code)?.label
        case ("level", _): DriverLevel(rawValue: code)?.label
        default: nil
        }
    }
}

import Fluent
import Foundation

/// A unit's dosing plan for a year: how many of each group need each level. Saving it replaces the
/// year's targets for the unit, audited as one change.
struct DosingPlan: Sendable, Equatable {
    struct Key: Hashable, Sendable {
        let group: DosingGroup
        let level: CourseLevel
    }

    let unitID: UUID
    let year: Int
    /// Only the numbers given: a group and level left empty has no target.
    var needs: [Key: Int]

    static func load(unitID: UUID, year: Int, on db: any Database) async throws -> DosingPlan {
        let targets = try await DosingTarget.query(on: db).filter(\.$unit.$id == unitID).filter(\.$year == year).all()
        return DosingPlan(
            unitID: unitID, year: year,
            needs: Dictionary(targets.map { (Key(group: $0.group, level: $0.level), $0.needed) }) { $1 })
    }

    /// Saves the plan, unless it is the one saved already (nothing to record).
    func save(unitName: String, by actor: Actor, on db: any Database) async throws {
        try await db.transaction { db in
            let before = try await Self.load(unitID: unitID, year: year, on: db)
            guard before != self else { return }
            try await DosingTarget.query(on: db).filter(\.$unit.$id == unitID).filter(\.$year == year).delete()
            let targets = needs.map {
                DosingTarget(unitID: unitID, year: year, group: $0.key.group, level: $0.key.level, needed: $0.value)
            }
            if !targets.isEmpty { try await targets.create(on: db) }
            try await Audited(plan: self, unitName: unitName).recordAudit(
                .update, by: actor, before: Audited(plan: before, unitName: unitName).auditFields, on: db)
        }
    }

    /// The plan as an audit entry names it: "Dosing plan 2027 for Trust", a field a target.
    private struct Audited: Auditable {
        let plan: DosingPlan
        let unitName: String
        var auditSubject: AuditSubject {
            .init(kind: "dosing plan", id: nil, name: "Dosing plan \(plan.year) for \(unitName)", unitID: plan.unitID)
        }
        var auditFields: [String: String] {
            Dictionary(plan.needs.map { ("\($0.key.group.label), \($0.key.level.label)", String($0.value)) }) { $1 }
        }
    }
}

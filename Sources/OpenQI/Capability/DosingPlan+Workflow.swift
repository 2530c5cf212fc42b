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

    /// The plan's numbers in one line, as the form carries the plan it was opened with: a save
    /// that began from another is someone else's change unseen.
    var fingerprint: String {
        // Never empty: a form's empty field is not sent, and a plan with no numbers yet is a plan too.
        guard !needs.isEmpty else { return "none" }
        return needs.map { "\($0.key.group.rawValue).\($0.key.level.rawValue)=\($0.value)" }.sorted()
            .joined(separator: ";")
    }

    /// Saves the plan, unless it is the one saved already (nothing to record). Throws
    /// `DosingPlanConflict` when the plan saved is no longer the one the form was opened with
    /// (`read`, its fingerprint), so nobody's numbers are replaced unseen.
    func save(unitName: String, read: String, by actor: Actor, on db: any Database) async throws {
        try await db.transaction { db in
            // Two saves of one unit's plan at once take turns (the unit's row is held until the
            // transaction ends on PostgreSQL; SQLite has one writer): the second then sees the first.
            try await db.sql.raw(
                "UPDATE \(ident: Unit.schema) SET version = version WHERE id = \(bind: unitID)"
            ).run()
            let before = try await Self.load(unitID: unitID, year: year, on: db)
            guard before != self else { return }
            if read != before.fingerprint { throw DosingPlanConflict(saved: before) }
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

/// The plan was saved by someone else after the form was opened: what they saved.
struct DosingPlanConflict: Error {
    let saved: DosingPlan

    /// Beside each number that differs from what they saved, what that was.
    func errors(against mine: DosingPlan) -> [FieldError] {
        DosingGroup.planned.compactMap { group, level in
            let key = DosingPlan.Key(group: group, level: level)
            let theirs = saved.needs[key]
            guard theirs != mine.needs[key] else { return nil }
            return FieldError(
                field: DosingPlanInput.field(group, level),
                message:
                    "Someone saved this plan after you opened it, with \(theirs.map(String.init) ?? "no number") here. Save again to keep yours."
            )
        }
    }
}

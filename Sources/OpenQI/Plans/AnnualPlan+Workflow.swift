import Fluent
import Foundation

/// Every change to an annual plan: drawing it, changing it, and linking work to its boxes. Each is
/// audited; an edit of the plan is versioned. (Its diagram's boxes change through `DiagramOwner`.)
extension AnnualPlan {
    static func create(_ draft: AnnualPlanDraft, by actor: Actor, on db: any Database) async throws -> AnnualPlan {
        let plan = AnnualPlan(unitID: draft.unitID, year: draft.year, aim: draft.aim, parentID: draft.parentID)
        // The unit names the plan in its audit entry.
        try await plan.$unit.load(on: db)
        try await Self.oncePerYear(draft) { try await plan.saveAudited(.create, by: actor, on: db) }
        return plan
    }

    /// Throws `EditConflict` when someone saved the plan since `expected`.
    func update(with draft: AnnualPlanDraft, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = auditFields
        $unit.id = draft.unitID
        year = draft.year
        $parent.id = draft.parentID
        aim = draft.aim
        if $unit.value?.id != draft.unitID { try await $unit.load(on: db) }
        try await Self.oncePerYear(draft) {
            try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db)
        }
    }

    /// A unit has one plan a year: a second, saved a moment after the form was checked, is refused
    /// by the database and said as the form would say it.
    private static func oncePerYear(_ draft: AnnualPlanDraft, _ save: () async throws -> Void) async throws {
        do {
            try await save()
        } catch let clash as any DatabaseError where clash.isConstraintFailure {
            throw ValidationFailure(
                field: "year",
                message: "The unit already has a plan for \(label(draft.year)): someone saved it a moment ago.")
        }
    }

    /// Links work to one of the plan's boxes (once: a second link of the same is refused).
    func link(_ box: PlanBox, to work: PlanWork, named names: PlanLinkNames, by actor: Actor, on db: any Database)
        async throws
    {
        let id = try requireID()
        let existing = try await PlanLink.query(on: db).filter(\.$plan.$id == id).all()
        guard !existing.contains(where: { $0.box == box && $0.work == work }) else {
            throw ValidationFailure(field: "work", message: "“\(names.work)” already serves “\(names.box)”.")
        }
        let link = PlanLink(planID: id, box: box, work: work)
        try await db.transaction { db in
            try await link.create(on: db)
            try await PlanLinkAudit(link: link, plan: self, names: names).recordAudit(.create, by: actor, on: db)
        }
    }

    func unlink(_ link: PlanLink, named names: PlanLinkNames, by actor: Actor, on db: any Database) async throws {
        let audit = PlanLinkAudit(link: link, plan: self, names: names)
        try await db.transaction { db in
            try await audit.recordAudit(.remove, by: actor, before: audit.auditFields, on: db)
            try await link.delete(on: db)
        }
    }
}

/// A link's two ends in words, for its notice and its audit entry.
struct PlanLinkNames: Sendable {
    let box: String
    let work: String
}

struct PlanLinkAudit: Auditable {
    let link: PlanLink
    let plan: AnnualPlan
    let names: PlanLinkNames

    var auditSubject: AuditSubject {
        .init(
            kind: "plan_link", id: link.id, name: "\(names.work) → \(names.box) — \(plan.title)",
            unitID: plan.$unit.id)
    }
    var auditFields: [String: String] {
        ["box": link.box?.value ?? "", "work": link.work?.value ?? ""]
    }
}

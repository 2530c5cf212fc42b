import Fluent
import Foundation

/// A supervision as its form gives it, checked.
struct SupervisionDraft: Sendable, Equatable {
    var heldOn: CalendarDay
    var projectIDs: [UUID]
    var notes: String
}

extension Supervision {
    /// Records `advisor`'s supervision of `coach`, with the projects talked through, audited.
    static func record(
        _ draft: SupervisionDraft, of coach: Person, by advisor: Person, actor: Actor, on db: any Database
    ) async throws -> Supervision {
        let supervision = Supervision(
            coachID: try coach.requireID(), advisorID: try advisor.requireID(), heldOn: draft.heldOn.date,
            notes: draft.notes)
        let audited = Audited(supervision: supervision, coachName: coach.fullName, unitID: coach.$unit.id)
        try await db.transaction { db in
            try await supervision.create(on: db)
            let links = try draft.projectIDs.map {
                SupervisedProject(supervisionID: try supervision.requireID(), projectID: $0)
            }
            if !links.isEmpty { try await links.create(on: db) }
            try await audited.with(projects: draft.projectIDs.count).recordAudit(.create, by: actor, on: db)
        }
        return supervision
    }

    /// A supervision as its audit entry names it: "Supervision of Sam Whitfield".
    private struct Audited: Auditable {
        let supervision: Supervision
        let coachName: String
        let unitID: UUID?
        var projects = 0
        func with(projects: Int) -> Self {
            var copy = self
            copy.projects = projects
            return copy
        }
        var auditSubject: AuditSubject {
            .init(kind: "supervision", id: supervision.id, name: "Supervision of \(coachName)", unitID: unitID)
        }
        var auditFields: [String: String] {
            [
                "held_on": CalendarDay.text(supervision.heldOn), "advisor": supervision.$advisor.id.uuidString,
                "projects": String(projects),
            ]
        }
    }
}

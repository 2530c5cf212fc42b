import Fluent
import Foundation
import SQLKit

extension Huddle {
    /// Records a huddle of `unitID` with its issues, their actions and escalations, in one
    /// transaction, audited under the unit.
    static func record(
        _ draft: HuddleDraft, at unitID: UUID, unitName: String, recordedBy personID: UUID, by actor: Actor,
        on db: any Database
    ) async throws -> Huddle {
        let huddle = Huddle()
        huddle.$unit.id = unitID
        huddle.heldOn = draft.heldOn.date
        huddle.kind = draft.kind
        huddle.attendees = draft.attendees
        huddle.$recordedBy.id = personID
        huddle.recordedAt = AppClock.now
        try await db.transaction { db in
            try await huddle.create(on: db)
            let huddleID = try huddle.requireID()
            for (index, draft) in draft.issues.enumerated() {
                let issue = HuddleIssue()
                issue.$huddle.id = huddleID
                issue.position = index + 1
                issue.description = draft.description
                issue.action = draft.action?.text
                issue.$owner.id = draft.action?.ownerID
                issue.actionDue = draft.action?.due.date
                try await issue.create(on: db)
                guard let escalated = draft.escalation else { continue }
                let escalation = Escalation()
                escalation.$issue.id = try issue.requireID()
                escalation.$fromUnit.id = unitID
                escalation.$toUnit.id = escalated.toUnitID
                escalation.dueOn = escalated.due.date
                escalation.raisedAt = AppClock.now
                try await escalation.create(on: db)
            }
            try await Audited(huddle: huddle, unitName: unitName, draft: draft).recordAudit(.create, by: actor, on: db)
        }
        return huddle
    }

    /// A huddle as its audit entry names it: "Safety huddle of Willow Ward on 3 Dec 2026".
    private struct Audited: Auditable {
        let huddle: Huddle
        let unitName: String
        let draft: HuddleDraft
        var auditSubject: AuditSubject {
            .init(
                kind: "huddle", id: huddle.id, name: "\(draft.kind.label) of \(unitName) on \(draft.heldOn.label)",
                unitID: huddle.$unit.id)
        }
        var auditFields: [String: String] {
            [
                "held_on": draft.heldOn.text, "kind": draft.kind.rawValue, "attendees": draft.attendees,
                "issues": String(draft.issues.count),
                "actions": String(draft.issues.count { $0.action != nil }),
                "escalated": String(draft.issues.count { $0.escalation != nil }),
            ]
        }
    }
}

extension HuddleIssue {
    /// Marks the issue's action done on `day`, audited under the huddle's unit. Refused, with
    /// nothing changed, when the issue has no action or it is done already.
    func completeAction(on day: CalendarDay, unitID: UUID, by actor: Actor, on db: any Database) async throws {
        let issueID = try requireID()
        try await db.transaction { db in
            guard let current = try await HuddleIssue.find(issueID, on: db), let action = current.action else {
                throw ValidationFailure(field: "action", message: "This issue has no action to mark done.")
            }
            if let done = current.actionDoneOn {
                throw ValidationFailure(
                    field: "action",
                    message: "“\(action)” was marked done on \(CalendarDay.label(done)) already. Nothing was changed.")
            }
            current.actionDoneOn = day.date
            try await current.update(on: db)
            self.actionDoneOn = day.date
            try await Audited(issue: current, unitID: unitID).recordAudit(.update, by: actor, on: db)
        }
    }

    private struct Audited: Auditable {
        let issue: HuddleIssue
        let unitID: UUID
        var auditSubject: AuditSubject {
            .init(kind: "huddle_action", id: issue.id, name: "Huddle action: \(issue.action ?? "")", unitID: unitID)
        }
        var auditFields: [String: String] {
            ["done_on": issue.actionDoneOn.map(CalendarDay.text) ?? "", "owner": issue.$owner.id?.uuidString ?? ""]
        }
    }
}

extension Escalation {
    /// Records the receiving unit's answer to the escalation and, when it says so, closes it; both
    /// audited under the receiving unit. A closed escalation takes no more answers.
    func respond(
        _ answer: EscalationResponseInput.Valid, named name: String, respondedBy personID: UUID, by actor: Actor,
        on db: any Database
    ) async throws {
        let escalationID = try requireID()
        try await db.transaction { db in
            // Two answers at once take turns on the escalation's row, so the second sees the first.
            try await db.sql.raw(
                "UPDATE \(ident: Escalation.schema) SET due_on = due_on WHERE id = \(bind: escalationID)"
            )
            .run()
            guard let current = try await Escalation.find(escalationID, on: db) else { throw NotFound("escalation") }
            if let closed = current.closedAt {
                throw ValidationFailure(
                    field: "response",
                    message:
                        "This escalation was closed on \(CalendarDay.label(closed)): it takes no more answers. Nothing was saved."
                )
            }
            let before = Audited(escalation: current, name: name).auditFields
            if let text = answer.response {
                current.response = text
                current.$respondedBy.id = personID
                current.respondedAt = AppClock.now
            }
            if answer.closes { current.closedAt = AppClock.now }
            try await current.update(on: db)
            (self.response, self.$respondedBy.id, self.respondedAt, self.closedAt) =
                (current.response, current.$respondedBy.id, current.respondedAt, current.closedAt)
            try await Audited(escalation: current, name: name).recordAudit(.update, by: actor, before: before, on: db)
        }
    }

    private struct Audited: Auditable {
        let escalation: Escalation
        let name: String
        var auditSubject: AuditSubject {
            .init(kind: "escalation", id: escalation.id, name: name, unitID: escalation.$toUnit.id)
        }
        var auditFields: [String: String] {
            [
                "response": escalation.response ?? "",
                "status": escalation.isOpen ? "open" : "closed",
                "due_on": CalendarDay.text(escalation.dueOn),
            ]
        }
    }
}

import Fluent
import Foundation
import SQLKit

extension WalkRound {
    /// Schedules a visit, audited under the team visited.
    static func schedule(
        _ visit: WalkRoundScheduleInput.Valid, names: (team: String, executive: String), by actor: Actor,
        on db: any Database
    ) async throws -> WalkRound {
        let walkRound = WalkRound()
        walkRound.$unit.id = visit.unitID
        walkRound.$executive.id = visit.executiveID
        walkRound.plannedOn = visit.plannedOn.date
        try await db.transaction { db in
            try await walkRound.create(on: db)
            try await Audited(walkRound: walkRound, name: "WalkRound by \(names.executive) to \(names.team)")
                .recordAudit(.create, by: actor, on: db)
        }
        return walkRound
    }

    /// The visit as it stands, taking its row for the rest of the transaction, so that two changes
    /// at once take turns and the second sees the first; refused with `field`'s message when it
    /// was held (`held` follows the day) or called off meanwhile.
    private static func stillPlanned(
        _ id: UUID, field: String, held: String, cancelled: String, on db: any Database
    ) async throws -> WalkRound {
        try await db.sql.raw("UPDATE \(ident: WalkRound.schema) SET planned_on = planned_on WHERE id = \(bind: id)")
            .run()
        guard let current = try await WalkRound.find(id, on: db) else { throw NotFound("WalkRound") }
        if let day = current.heldOn {
            throw ValidationFailure(
                field: field, message: "This WalkRound was held on \(CalendarDay.label(day)): \(held)")
        }
        if current.isCancelled { throw ValidationFailure(field: field, message: cancelled) }
        return current
    }

    /// Moves a planned visit to another day, or calls it off (`to` nil), audited under the team.
    /// A visit held or called off already is refused, with nothing changed.
    func reschedule(to day: CalendarDay?, name: String, by actor: Actor, on db: any Database) async throws {
        let id = try requireID()
        try await db.transaction { db in
            let current = try await WalkRound.stillPlanned(
                id, field: "planned_on", held: "it cannot be moved. Nothing was changed.",
                cancelled: "This WalkRound was called off already. Nothing was changed.", on: db)
            let before = Audited(walkRound: current, name: name).auditFields
            if let day { current.plannedOn = day.date } else { current.cancelledAt = AppClock.now }
            try await current.update(on: db)
            (self.plannedOn, self.cancelledAt) = (current.plannedOn, current.cancelledAt)
            try await Audited(walkRound: current, name: name).recordAudit(.update, by: actor, before: before, on: db)
        }
    }

    /// Records what the visit heard and its follow-ups. A WalkRound is recorded once: a second
    /// record is refused, with nothing changed.
    func record(_ visit: WalkRoundRecordInput.Valid, name: String, by actor: Actor, on db: any Database) async throws {
        let id = try requireID()
        try await db.transaction { db in
            let current = try await WalkRound.stillPlanned(
                id, field: "held_on", held: "it was recorded then. Nothing was changed.",
                cancelled: "This WalkRound was called off: schedule a new one to record a visit.", on: db)
            current.heldOn = visit.heldOn.date
            (current.proudOf, current.improving) = (visit.answers["proud_of"], visit.answers["improving"])
            (current.inTheWay, current.selfCare) = (visit.answers["in_the_way"], visit.answers["self_care"])
            try await current.update(on: db)
            for (index, follow) in visit.actions.enumerated() {
                let action = WalkRoundAction()
                action.$walkRound.id = id
                action.position = index + 1
                action.action = follow.text
                action.$owner.id = follow.ownerID
                action.dueOn = follow.due.date
                try await action.create(on: db)
            }
            try await Audited(walkRound: current, name: name, actions: visit.actions.count)
                .recordAudit(.update, by: actor, on: db)
        }
    }

    private struct Audited: Auditable {
        let walkRound: WalkRound
        let name: String
        var actions = 0
        var auditSubject: AuditSubject {
            .init(kind: "walk_round", id: walkRound.id, name: name, unitID: walkRound.$unit.id)
        }
        var auditFields: [String: String] {
            var fields = [
                "planned_on": CalendarDay.text(walkRound.plannedOn), "executive": walkRound.$executive.id.uuidString,
            ]
            if let held = walkRound.heldOn {
                fields["held_on"] = CalendarDay.text(held)
                fields["follow_ups"] = String(actions)
            }
            if walkRound.isCancelled { fields["cancelled"] = "yes" }
            return fields
        }
    }
}

extension WalkRoundAction {
    /// Marks the follow-up done on `day`, audited under the team visited; refused when done already.
    func complete(on day: CalendarDay, unitID: UUID, by actor: Actor, on db: any Database) async throws {
        let id = try requireID()
        try await db.transaction { db in
            guard let current = try await WalkRoundAction.find(id, on: db) else { throw NotFound("follow-up") }
            if let done = current.doneOn {
                throw ValidationFailure(
                    field: "action",
                    message:
                        "“\(current.action)” was marked done on \(CalendarDay.label(done)) already. Nothing was changed."
                )
            }
            current.doneOn = day.date
            try await current.update(on: db)
            self.doneOn = day.date
            try await Audited(action: current, unitID: unitID).recordAudit(.update, by: actor, on: db)
        }
    }

    private struct Audited: Auditable {
        let action: WalkRoundAction
        let unitID: UUID
        var auditSubject: AuditSubject {
            .init(
                kind: "walk_round_action", id: action.id, name: "WalkRound follow-up: \(action.action)", unitID: unitID)
        }
        var auditFields: [String: String] { ["done_on": action.doneOn.map(CalendarDay.text) ?? ""] }
    }
}

import Fluent
import Foundation

extension StrategicObjective {
    /// Adds an objective to the strategy, audited, in one transaction.
    static func create(_ draft: StrategyItemDraft, by actor: Actor, on db: any Database) async throws
        -> StrategicObjective
    {
        let objective = StrategicObjective(name: draft.name, summary: draft.summary)
        if draft.archived == true { objective.archivedAt = AppClock.now }
        objective.$measures.value = try await Measure.query(on: db).filter(\.$id ~~ draft.measureIDs).all()
        try await nameTaken(draft.name, by: "strategic objective") {
            try await objective.saveAudited(.create, by: actor, on: db) { db in
                try await objective.link(draft.measureIDs, on: db)
            }
        }
        return objective
    }

    /// Renames or describes the objective and sets the measures that track it (and archives or
    /// restores it, when the draft says); throws `EditConflict` when someone saved it since
    /// `expected`. Its measures must be loaded.
    func update(with draft: StrategyItemDraft, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = auditFields
        let archiving = draft.archived == true && !isArchived
        name = draft.name
        summary = draft.summary
        if let archived = draft.archived, archived != isArchived { archivedAt = archived ? AppClock.now : nil }
        $measures.value = try await Measure.query(on: db).filter(\.$id ~~ draft.measureIDs).all()
        try await nameTaken(draft.name, by: "strategic objective") {
            try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db) { db in
                if archiving { try await self.requireNoPrioritiesInUse(on: db) }
                try await self.link(draft.measureIDs, on: db)
            }
        }
    }

    /// Makes `measureIDs` the measures tracking the objective, in the caller's transaction.
    private func link(_ measureIDs: [UUID], on db: any Database) async throws {
        let id = try requireID()
        try await ObjectiveMeasure.query(on: db).filter(\.$objective.$id == id).delete()
        for measureID in measureIDs {
            let link = ObjectiveMeasure()
            link.$objective.id = id
            link.$measure.id = measureID
            try await link.create(on: db)
        }
    }

    /// Archives the objective. Not while priorities in use sit under it: they would serve an
    /// objective the strategy no longer has.
    func archive(by actor: Actor, on db: any Database) async throws {
        try await db.transaction { db in
            try await self.requireNoPrioritiesInUse(on: db)
            try await self.setArchived(true, by: actor, on: db)
        }
    }

    /// Refuses archiving while priorities in use sit under the objective. Call in the archiving's
    /// transaction, so what it counts is what it archives over.
    private func requireNoPrioritiesInUse(on db: any Database) async throws {
        let inUse = try await Priority.query(on: db).filter(\.$objective.$id == requireID())
            .filter(\.$archivedAt == nil).count()
        guard inUse == 0 else {
            throw ValidationFailure(
                field: "archived",
                message: "“\(name)” still has \(inUse) priorit\(inUse == 1 ? "y" : "ies") in use under it. "
                    + "Archive them, or file them under another objective, first.")
        }
    }

    func restore(by actor: Actor, on db: any Database) async throws {
        try await setArchived(false, by: actor, on: db)
    }
}

extension Priority {
    /// Adds a priority under an objective, audited, in one transaction.
    static func create(_ draft: StrategyItemDraft, by actor: Actor, on db: any Database) async throws -> Priority {
        let priority = Priority(name: draft.name, summary: draft.summary, objectiveID: draft.objectiveID)
        if draft.archived == true { priority.archivedAt = AppClock.now }
        try await nameTaken(draft.name, by: "priority") { try await priority.saveAudited(.create, by: actor, on: db) }
        return priority
    }

    /// Renames, describes or refiles the priority (and archives or restores it, when the draft
    /// says); throws `EditConflict` when someone saved it since `expected`. Projects that serve it
    /// keep it whatever changes.
    func update(with draft: StrategyItemDraft, expecting expected: Int, by actor: Actor, on db: any Database)
        async throws
    {
        let before = auditFields
        name = draft.name
        summary = draft.summary
        $objective.id = draft.objectiveID
        if let archived = draft.archived, archived != isArchived { archivedAt = archived ? AppClock.now : nil }
        try await nameTaken(draft.name, by: "priority") {
            try await saveAudited(.update, by: actor, before: before, expecting: expected, on: db)
        }
    }

    /// Takes the priority out of what new projects are offered; projects that served it keep it.
    func archive(by actor: Actor, on db: any Database) async throws {
        try await setArchived(true, by: actor, on: db)
    }

    /// Offers the priority again. Not under an archived objective: file it elsewhere first.
    func restore(by actor: Actor, on db: any Database) async throws {
        if let objectiveID = $objective.id, let objective = try await StrategicObjective.find(objectiveID, on: db),
            objective.isArchived
        {
            throw ValidationFailure(
                field: "priority",
                message: "“\(name)” is filed under “\(objective.name)”, which is archived. "
                    + "Restore the objective, or edit the priority to file it under one in use, first.")
        }
        try await setArchived(false, by: actor, on: db)
    }
}

extension StrategyAim {
    /// Sets (or, with nil, takes away) the strategy's aim, audited, in one transaction.
    static func save(_ text: String?, by actor: Actor, on db: any Database) async throws {
        do {
            try await db.transaction { db in try await replace(with: text, by: actor, on: db) }
        } catch let clash as any DatabaseError where clash.isConstraintFailure {
            // Two first aims saved at one moment: the other was kept.
            throw ValidationFailure(
                field: "aim",
                message: "Someone else saved an aim at the same moment: “\(try await load(on: db).text ?? "")”. "
                    + "Save yours again to replace it.")
        }
    }

    /// In the caller's transaction, so "before" is what the change replaced.
    private static func replace(with text: String?, by actor: Actor, on db: any Database) async throws {
        let before = try await load(on: db)
        guard before.text != text else { return }
        if let setting = try await InstallationSetting.find(settingKey, on: db) {
            if let text {
                setting.value = text
                try await setting.save(on: db)
            } else {
                try await setting.delete(on: db)
            }
        } else if let text {
            try await InstallationSetting(key: settingKey, value: text).create(on: db)
        }
        try await StrategyAim(text: text).recordAudit(
            before.text == nil ? .create : .update, by: actor, before: before.auditFields, on: db)
    }
}

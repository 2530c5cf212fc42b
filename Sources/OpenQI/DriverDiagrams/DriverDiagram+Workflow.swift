import Fluent
import Foundation
import Vapor

/// Every change to a driver diagram, whoever owns it: each audited, each edit versioned.
extension DiagramOwner {
    func addDriver(_ valid: DriverInput.Valid, by actor: Actor, on db: any Database) async throws -> Driver {
        try await db.transaction { db in
            let position = try await self.drivers(on: db).count()
            let driver = Driver(owner: self.key, level: valid.level, text: valid.text, position: position)
            try await driver.create(on: db)
            try await driver.$primaries.attach(try await Self.boxes(valid.primaryIDs, on: db), on: db)
            try await self.audit(driver, primaryIDs: valid.primaryIDs).recordAudit(.create, by: actor, on: db)
            return driver
        }
    }

    /// Saves an edit of a box that began from version `expected`; throws `EditConflict` when
    /// someone saved the box since.
    func updateDriver(
        _ driver: Driver, with valid: DriverInput.Valid, expecting expected: Int, by actor: Actor, on db: any Database
    ) async throws {
        try await driver.$primaries.load(on: db)
        let before = audit(driver, primaryIDs: driver.primaries.compactMap(\.id)).auditFields
        try await db.transaction { db in
            try await driver.claimNextVersion(after: expected, on: db)
            driver.text = valid.text
            try await driver.save(on: db)
            try await driver.$primaries.detachAll(on: db)
            try await driver.$primaries.attach(try await Self.boxes(valid.primaryIDs, on: db), on: db)
            try await self.audit(driver, primaryIDs: valid.primaryIDs).recordAudit(
                .update, by: actor, before: before, on: db)
        }
    }

    /// Removes a driver unless boxes hang only from it; those would be lost from the diagram.
    func removeDriver(_ driver: Driver, in diagram: DriverDiagram, by actor: Actor, on db: any Database) async throws {
        let driverID = try driver.requireID()
        let dependents = diagram.dependentsOnlyOn(driverID)
        guard dependents.isEmpty else {
            throw ValidationFailure(
                field: "driver",
                message:
                    "“\(driver.text)” cannot be removed while \(dependents.map { "“\($0)”" }.joined(separator: ", ")) hang only from it. Link them to another driver or remove them first."
            )
        }
        let audit = audit(driver, primaryIDs: diagram.driver(driverID)?.primaryIDs ?? [])
        try await db.transaction { db in
            try await audit.recordAudit(.remove, by: actor, before: audit.auditFields, on: db)
            try await driver.delete(on: db)
        }
    }

    func addChangeIdea(_ valid: ChangeIdeaInput.Valid, by actor: Actor, on db: any Database) async throws
        -> ChangeIdea
    {
        try await db.transaction { db in
            let position = try await self.ideas(on: db).count()
            let idea = ChangeIdea(
                owner: self.key, title: valid.title, summary: valid.summary, position: position,
                adaptedFrom: valid.adaptedFrom)
            try await idea.create(on: db)
            try await idea.$drivers.attach(try await Self.boxes(valid.driverIDs, on: db), on: db)
            try await self.audit(idea, driverIDs: valid.driverIDs).recordAudit(.create, by: actor, on: db)
            return idea
        }
    }

    func updateChangeIdea(
        _ idea: ChangeIdea, with valid: ChangeIdeaInput.Valid, expecting expected: Int, by actor: Actor,
        on db: any Database
    ) async throws {
        try await idea.$drivers.load(on: db)
        let before = audit(idea, driverIDs: idea.drivers.compactMap(\.id)).auditFields
        try await db.transaction { db in
            try await idea.claimNextVersion(after: expected, on: db)
            idea.title = valid.title
            idea.summary = valid.summary
            idea.$adaptedFrom.id = valid.adaptedFrom
            try await idea.save(on: db)
            try await idea.$drivers.detachAll(on: db)
            try await idea.$drivers.attach(try await Self.boxes(valid.driverIDs, on: db), on: db)
            try await self.audit(idea, driverIDs: valid.driverIDs).recordAudit(
                .update, by: actor, before: before, on: db)
        }
    }

    /// Removes a change idea that has not been tested; a tested one keeps its PDSA learning.
    func removeChangeIdea(_ idea: ChangeIdea, by actor: Actor, on db: any Database) async throws {
        let ideaID = try idea.requireID()
        let cycles = try await PDSACycle.query(on: db).filter(\.$changeIdea.$id == ideaID).count()
        let adapting = try await ChangeIdea.adaptingTeams(of: [ideaID], on: db)[ideaID]?.count ?? 0
        guard adapting == 0 else {
            throw ValidationFailure(
                field: "change_idea",
                message:
                    "“\(idea.title)” is adapted by \(adapting) team\(adapting == 1 ? "" : "s"); removing it would hide their tests from the spread matrix. Edit it instead."
            )
        }
        guard cycles == 0 else {
            throw ValidationFailure(
                field: "change_idea",
                message:
                    "“\(idea.title)” has \(cycles) PDSA cycle\(cycles == 1 ? "" : "s"); removing it would lose what they learned. Record “abandon” in the last cycle instead."
            )
        }
        try await idea.$drivers.load(on: db)
        let audit = audit(idea, driverIDs: idea.drivers.compactMap(\.id))
        try await db.transaction { db in
            try await audit.recordAudit(.remove, by: actor, before: audit.auditFields, on: db)
            try await idea.delete(on: db)
        }
    }

    private static func boxes(_ ids: [UUID], on db: any Database) async throws -> [Driver] {
        guard !ids.isEmpty else { return [] }
        return try await Driver.query(on: db).filter(\.$id ~~ ids).all()
    }

    private func audit(_ driver: Driver, primaryIDs: [UUID]) -> DiagramPartAudit {
        DiagramPartAudit(
            kind: "driver", id: driver.id, name: driver.text, owner: self,
            auditFields: [
                "level": driver.level.rawValue, "text": driver.text,
                "primaries": primaryIDs.map(\.uuidString).joined(separator: " "),
            ])
    }

    private func audit(_ idea: ChangeIdea, driverIDs: [UUID]) -> DiagramPartAudit {
        DiagramPartAudit(
            kind: "change_idea", id: idea.id, name: idea.title, owner: self,
            auditFields: [
                "title": idea.title, "description": idea.summary ?? "",
                "adapted_from": idea.$adaptedFrom.id?.uuidString ?? "",
                "drivers": driverIDs.map(\.uuidString).joined(separator: " "),
            ])
    }
}

import Fluent
import Foundation
import Vapor

/// A driver as typed into the diagram editor or sent to the API.
struct DriverInput: Content, Sendable {
    var level: String?
    var text: String?
    var primary_ids: [String]?

    struct Valid: Sendable {
        let level: DriverLevel
        let text: String
        let primaryIDs: [UUID]
    }

    /// Checks the driver against the diagram it joins: a secondary driver moves at least one of
    /// this project's primary drivers.
    func validate(in diagram: DriverDiagram, editing: DriverDiagram.DriverBox? = nil) throws -> Valid {
        var validator = Validator()
        let level =
            editing?.level ?? validator.choice(level, field: "level", label: "the kind of driver", as: DriverLevel.self)
        let text = validator.requiredText(text, field: "text", label: "what drives the aim", maxLength: 200)
        let primaryIDs = Validator.identifiers(primary_ids)
        if level == .secondary {
            let known = Set(diagram.primaries.map(\.id))
            if diagram.primaries.isEmpty {
                validator.fail("primary_ids", "Add a primary driver first: a secondary driver moves a primary one.")
            } else if primaryIDs.isEmpty {
                validator.fail("primary_ids", "Choose at least one primary driver this secondary driver moves.")
            } else if !primaryIDs.allSatisfy(known.contains) {
                validator.fail("primary_ids", "Choose primary drivers of this project’s diagram.")
            }
        }
        try validator.check()
        return Valid(level: level!, text: text, primaryIDs: level == .secondary ? primaryIDs : [])
    }
}

/// A change idea as typed into the diagram editor or sent to the API.
struct ChangeIdeaInput: Content, Sendable {
    var title: String?
    var description: String?
    var driver_ids: [String]?

    struct Valid: Sendable {
        let title: String
        let summary: String?
        let driverIDs: [UUID]
    }

    func validate(in diagram: DriverDiagram) throws -> Valid {
        var validator = Validator()
        let title = validator.requiredText(title, field: "title", label: "the change idea", maxLength: 200)
        let summary = validator.optionalText(description, field: "description", label: "the description")
        let driverIDs = Validator.identifiers(driver_ids)
        let known = Set(diagram.drivers.map(\.id))
        if diagram.drivers.isEmpty {
            validator.fail("driver_ids", "Add a driver first: a change idea acts on a driver of the aim.")
        } else if driverIDs.isEmpty {
            validator.fail("driver_ids", "Choose at least one driver this change idea acts on.")
        } else if !driverIDs.allSatisfy(known.contains) {
            validator.fail("driver_ids", "Choose drivers of this project’s diagram.")
        }
        try validator.check()
        return Valid(title: title, summary: summary, driverIDs: driverIDs)
    }
}

extension Project {
    func addDriver(_ valid: DriverInput.Valid, by actor: Actor, on db: any Database) async throws -> Driver {
        let projectID = try requireID()
        return try await db.transaction { db in
            let position = try await Driver.query(on: db).filter(\.$project.$id == projectID).count()
            let driver = Driver(projectID: projectID, level: valid.level, text: valid.text, position: position)
            try await driver.create(on: db)
            try await driver.$primaries.attach(try await Self.drivers(valid.primaryIDs, on: db), on: db)
            try await self.audit(driver, primaryIDs: valid.primaryIDs).recordAudit(.create, by: actor, on: db)
            return driver
        }
    }

    func updateDriver(_ driver: Driver, with valid: DriverInput.Valid, by actor: Actor, on db: any Database)
        async throws
    {
        try await driver.$primaries.load(on: db)
        let before = audit(driver, primaryIDs: driver.primaries.compactMap(\.id)).auditFields
        try await db.transaction { db in
            driver.text = valid.text
            try await driver.save(on: db)
            try await driver.$primaries.detachAll(on: db)
            try await driver.$primaries.attach(try await Self.drivers(valid.primaryIDs, on: db), on: db)
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
        let projectID = try requireID()
        return try await db.transaction { db in
            let position = try await ChangeIdea.query(on: db).filter(\.$project.$id == projectID).count()
            let idea = ChangeIdea(projectID: projectID, title: valid.title, summary: valid.summary, position: position)
            try await idea.create(on: db)
            try await idea.$drivers.attach(try await Self.drivers(valid.driverIDs, on: db), on: db)
            try await self.audit(idea, driverIDs: valid.driverIDs).recordAudit(.create, by: actor, on: db)
            return idea
        }
    }

    func updateChangeIdea(_ idea: ChangeIdea, with valid: ChangeIdeaInput.Valid, by actor: Actor, on db: any Database)
        async throws
    {
        try await idea.$drivers.load(on: db)
        let before = audit(idea, driverIDs: idea.drivers.compactMap(\.id)).auditFields
        try await db.transaction { db in
            idea.title = valid.title
            idea.summary = valid.summary
            try await idea.save(on: db)
            try await idea.$drivers.detachAll(on: db)
            try await idea.$drivers.attach(try await Self.drivers(valid.driverIDs, on: db), on: db)
            try await self.audit(idea, driverIDs: valid.driverIDs).recordAudit(
                .update, by: actor, before: before, on: db)
        }
    }

    /// Removes a change idea that has not been tested; a tested one keeps its PDSA learning.
    func removeChangeIdea(_ idea: ChangeIdea, by actor: Actor, on db: any Database) async throws {
        let ideaID = try idea.requireID()
        let cycles = try await PDSACycle.query(on: db).filter(\.$changeIdea.$id == ideaID).count()
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

    private static func drivers(_ ids: [UUID], on db: any Database) async throws -> [Driver] {
        guard !ids.isEmpty else { return [] }
        return try await Driver.query(on: db).filter(\.$id ~~ ids).all()
    }

    private func audit(_ driver: Driver, primaryIDs: [UUID]) -> ProjectPartAudit {
        ProjectPartAudit(
            kind: "driver", id: driver.id, name: driver.text, project: self,
            auditFields: [
                "level": driver.level.rawValue, "text": driver.text,
                "primaries": primaryIDs.map(\.uuidString).joined(separator: " "),
            ])
    }

    private func audit(_ idea: ChangeIdea, driverIDs: [UUID]) -> ProjectPartAudit {
        ProjectPartAudit(
            kind: "change_idea", id: idea.id, name: idea.title, project: self,
            auditFields: [
                "title": idea.title, "description": idea.summary ?? "",
                "drivers": driverIDs.map(\.uuidString).joined(separator: " "),
            ])
    }
}

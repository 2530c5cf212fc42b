import Fluent
import Foundation

/// How directly a driver acts on the aim: primary drivers are the few big things that most affect
/// it; secondary drivers are the parts of the system that move a primary driver.
package enum DriverLevel: String, Codable, CaseIterable, Sendable {
    case primary, secondary

    var label: String { self == .primary ? "Primary driver" : "Secondary driver" }
}

/// A box of a driver diagram between the aim and the change ideas. The diagram is a project's, a
/// programme's or an annual plan's (`DiagramOwner`): exactly one of the owner columns is set.
package final class Driver: Model, @unchecked Sendable {
    package static let schema = "drivers"

    @ID(key: .id) package var id: UUID?
    @OptionalParent(key: "project_id") package var project: Project?
    @OptionalParent(key: "programme_id") package var programme: Programme?
    @OptionalParent(key: "plan_id") package var plan: AnnualPlan?
    @Enum(key: "level") package var level: DriverLevel
    @Field(key: "text") package var text: String
    /// The order the team added boxes in, which the drawing starts from.
    @Field(key: "position") package var position: Int
    /// For a secondary driver, the primary drivers it moves (one or more: the diagram is a DAG).
    @Siblings(through: DriverLink.self, from: \.$secondary, to: \.$primary) package var primaries: [Driver]
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(owner: DiagramOwner.Key, level: DriverLevel, text: String, position: Int) {
        switch owner {
        case .project(let id): self.$project.id = id
        case .programme(let id): self.$programme.id = id
        case .plan(let id): self.$plan.id = id
        }
        self.level = level
        self.text = text
        self.position = position
        self.version = 1
    }
}

extension Driver: Versioned {}

/// "This secondary driver moves that primary driver."
package final class DriverLink: Model, @unchecked Sendable {
    package static let schema = "driver_links"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "primary_id") package var primary: Driver
    @Parent(key: "secondary_id") package var secondary: Driver

    package init() {}
}

/// Something a team could change to move a driver, tested in PDSA cycles. A programme's change
/// ideas are its change package; a team's idea may name the programme's idea it adapts, which is
/// how the programme's spread matrix follows it.
package final class ChangeIdea: Model, @unchecked Sendable {
    package static let schema = "change_ideas"

    @ID(key: .id) package var id: UUID?
    @OptionalParent(key: "project_id") package var project: Project?
    @OptionalParent(key: "programme_id") package var programme: Programme?
    @OptionalParent(key: "plan_id") package var plan: AnnualPlan?
    @OptionalParent(key: "adapted_from_id") package var adaptedFrom: ChangeIdea?
    @Field(key: "title") package var title: String
    @OptionalField(key: "description") package var summary: String?
    @Field(key: "position") package var position: Int
    /// The drivers it acts on: one or more, primary or secondary.
    @Siblings(through: ChangeIdeaDriver.self, from: \.$changeIdea, to: \.$driver) package var drivers: [Driver]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(owner: DiagramOwner.Key, title: String, summary: String?, position: Int, adaptedFrom: UUID? = nil) {
        switch owner {
        case .project(let id): self.$project.id = id
        case .programme(let id): self.$programme.id = id
        case .plan(let id): self.$plan.id = id
        }
        self.$adaptedFrom.id = adaptedFrom
        self.title = title
        self.summary = summary
        self.position = position
        self.version = 1
    }
}

extension ChangeIdea: Versioned {}

/// "This change idea acts on that driver."
package final class ChangeIdeaDriver: Model, @unchecked Sendable {
    package static let schema = "change_idea_drivers"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "change_idea_id") package var changeIdea: ChangeIdea
    @Parent(key: "driver_id") package var driver: Driver

    package init() {}
}

/// A part of a project (a driver, a change idea, a PDSA cycle, a story) as the audit trail names it,
/// under the project's unit so the unit's administrators see it.
struct ProjectPartAudit: Auditable {
    let kind: String
    let id: UUID?
    let name: String
    let project: Project
    let auditFields: [String: String]

    var auditSubject: AuditSubject {
        .init(kind: kind, id: id, name: "\(name) — \(project.title)", unitID: project.$unit.id, projectID: project.id)
    }
}

/// A versioned part of a project whose changes are audited under the project: a PDSA cycle, a story.
protocol ProjectPart: Versioned {
    func audit(project: Project) -> ProjectPartAudit
}

extension ProjectPart {
    /// Saves a change that began from version `expected`, with its audit entry (the fields as they
    /// were `before`), in one transaction; throws `EditConflict` when someone saved the part since.
    func saveAudited(
        project: Project, before: [String: String], expecting expected: Int, by actor: Actor, on db: any Database
    ) async throws {
        try await db.transaction { db in
            try await self.claimNextVersion(after: expected, on: db)
            try await self.save(on: db)
            try await self.audit(project: project).recordAudit(.update, by: actor, before: before, on: db)
        }
    }
}

struct CreateDriverDiagrams: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let level = try await database.enum("driver_level").case("primary").case("secondary").create()
        try await database.schema(Driver.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("level", level, .required)
            .field("text", .string, .required)
            .field("position", .int, .required)
            .create()
        try await database.schema(DriverLink.schema)
            .id()
            .field("primary_id", .uuid, .required, .references(Driver.schema, "id", onDelete: .cascade))
            .field("secondary_id", .uuid, .required, .references(Driver.schema, "id", onDelete: .cascade))
            .unique(on: "primary_id", "secondary_id")
            .create()
        try await database.schema(ChangeIdea.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("description", .string)
            .field("position", .int, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(ChangeIdeaDriver.schema)
            .id()
            .field("change_idea_id", .uuid, .required, .references(ChangeIdea.schema, "id", onDelete: .cascade))
            .field("driver_id", .uuid, .required, .references(Driver.schema, "id", onDelete: .cascade))
            .unique(on: "change_idea_id", "driver_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ChangeIdeaDriver.schema).delete()
        try await database.schema(ChangeIdea.schema).delete()
        try await database.schema(DriverLink.schema).delete()
        try await database.schema(Driver.schema).delete()
        try await database.enum("driver_level").delete()
    }
}

/// Lets a programme own a driver diagram as a project does: a box's project becomes optional, each
/// box may name a programme instead, and a team's change idea may name the programme's idea it
/// adapts. (The workflow refuses to remove a programme's idea that teams adapt; should one go
/// another way, the teams' ideas only forget where they came from.)
struct AddDiagramOwners: AsyncMigration {
    static let indexes: [(table: String, columns: [String])] = [
        ("drivers", ["programme_id"]),
        ("change_ideas", ["programme_id"]),
        ("change_ideas", ["adapted_from_id"]),
    ]

    func prepare(on database: any Database) async throws {
        for table in [Driver.schema, ChangeIdea.schema] {
            try await database.allowNull("project_id", in: table)
            try await database.schema(table)
                .field("programme_id", .uuid, .references(Programme.schema, "id", onDelete: .cascade)).update()
        }
        try await database.schema(ChangeIdea.schema)
            .field("adapted_from_id", .uuid, .references(ChangeIdea.schema, "id", onDelete: .setNull)).update()
        try await CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await CreateLookupIndexes.drop(Self.indexes, on: database)
        try await Driver.query(on: database).filter(\.$programme.$id != nil).delete()
        try await ChangeIdea.query(on: database).filter(\.$programme.$id != nil).delete()
        try await database.schema(ChangeIdea.schema).deleteField("adapted_from_id").update()
        for table in [Driver.schema, ChangeIdea.schema] {
            try await database.schema(table).deleteField("programme_id").update()
            try await database.requireValue("project_id", in: table)
        }
    }
}

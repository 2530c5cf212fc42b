import Fluent
import Foundation
import Vapor

/// A strategic priority from the organisation's strategy and annual plan ("Reducing violence",
/// "Timely access to care"), delivered under one of its strategic objectives; projects say which
/// they serve.
package final class Priority: Model, @unchecked Sendable {
    package static let schema = "priorities"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @OptionalField(key: "description") package var summary: String?
    /// Nil for a priority made before the strategy had objectives, until someone files it.
    @OptionalParent(key: "objective_id") package var objective: StrategicObjective?
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(id: UUID? = nil, name: String, summary: String? = nil, objectiveID: UUID? = nil) {
        self.id = id
        self.name = name
        self.summary = summary
        self.$objective.id = objectiveID
        self.version = 1
    }

    var isArchived: Bool { archivedAt != nil }
}

extension Priority: Versioned {}

extension Priority: Archivable {
    var auditSubject: AuditSubject { .init(kind: "priority", id: id, name: name, unitID: nil) }
    var auditFields: [String: String] {
        [
            "name": name, "description": summary ?? "", "objective": $objective.id?.uuidString ?? "",
            "archived": isArchived ? "yes" : "no",
        ]
    }
}

struct CreatePriorities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Priority.schema)
            .id()
            .field("name", .string, .required)
            .field("description", .string)
            .field("archived_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Priority.schema).delete()
    }
}

/// Files each priority under a strategic objective (existing ones under none, until someone does).
struct AddObjectivesToPriorities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Priority.schema)
            .field("objective_id", .uuid, .references(StrategicObjective.schema, "id")).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Priority.schema).deleteField("objective_id").update()
    }
}

/// The priorities a project may be given: those in use, and any archived one it already serves
/// (so saving it again does not take that away). Knows every priority, so a refusal can say why.
struct PriorityChoices: Sendable {
    private let names: [UUID: String]
    private let allowed: Set<UUID>

    package init(_ priorities: [Priority], kept: Set<UUID> = []) {
        names = Dictionary(uniqueKeysWithValues: priorities.compactMap { p in p.id.map { ($0, p.name) } })
        allowed = Set(priorities.compactMap { p in p.archivedAt == nil || kept.contains(p.id!) ? p.id : nil })
    }

    /// Why the project may not be given this priority, in words for the person choosing; nil if it may.
    func refusal(of id: UUID) -> String? {
        if allowed.contains(id) { return nil }
        guard let name = names[id] else {
            return "There is no priority with the identifier “\(id.uuidString)”. Choose one from the list."
        }
        return "“\(name)” is archived and no longer offered to projects. Choose a priority that is in use."
    }
}

extension PriorityChoices {
    static func forProject(_ project: Project? = nil, on db: any Database) async throws -> PriorityChoices {
        var kept: Set<UUID> = []
        if let project { kept = Set(try await project.$priorities.get(on: db).compactMap(\.id)) }
        return PriorityChoices(try await Priority.query(on: db).all(), kept: kept)
    }
}

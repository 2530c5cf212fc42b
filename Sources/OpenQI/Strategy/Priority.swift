import Fluent
import Foundation
import Vapor

/// A strategic priority from the organisation's strategy and annual plan ("Reducing harm",
/// "Right care, right place, right time"); projects say which they serve.
package final class Priority: Model, @unchecked Sendable {
    package static let schema = "priorities"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @OptionalField(key: "description") package var summary: String?
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(id: UUID? = nil, name: String, summary: String? = nil) {
        self.id = id
        self.name = name
        self.summary = summary
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

/// A priority as the API returns it: what a project's `priority_ids` refer to.
struct PriorityDTO: Content, Equatable {
    let id: UUID
    let name: String
    let description: String?
    /// No longer offered for new projects; projects that served it keep it.
    let archived: Bool
}

/// `GET /api/v1/priorities`: the organisation's priorities by name, archived ones too, since
/// projects may still name them.
enum PriorityAPIController {
    @Sendable static func index(req: Request) async throws -> [PriorityDTO] {
        try await req.policy().require(.readOrganisation)
        return try await Priority.query(on: req.db).sort(\.$name).all().map {
            PriorityDTO(
                id: try $0.requireID(), name: $0.name, description: $0.summary, archived: $0.archivedAt != nil)
        }
    }
}

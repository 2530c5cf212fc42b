import Fluent
import Foundation

/// An improvement story: what a team did and learned, told in Markdown with its charts, for the
/// forum, the board and, once marked publishable, the world beyond the organisation.
package final class Story: Model, @unchecked Sendable {
    package static let schema = "stories"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "project_id") package var project: Project
    @Field(key: "title") package var title: String
    @Field(key: "body") package var body: String
    /// Cleared for sharing outside the organisation (the service users in it have agreed).
    @Field(key: "publishable") package var isPublishable: Bool
    @Parent(key: "author_id") package var author: Person
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }
}

extension Story: ProjectPart {}

extension Story {
    /// A project's stories, oldest first, as its page and API list them.
    static func told(inProject projectID: UUID, on db: any Database) async throws -> [Story] {
        try await query(on: db).filter(\.$project.$id == projectID).sort(\.$createdAt).all()
    }
}

struct CreateStories: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Story.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("publishable", .bool, .required)
            .field("author_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Story.schema).delete()
    }
}

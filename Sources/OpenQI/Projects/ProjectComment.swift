import Fluent
import Foundation

/// A comment on a project: the coach's advice, the sponsor's question, the team's reply.
final class ProjectComment: Model, @unchecked Sendable {
    static let schema = "project_comments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Parent(key: "author_id") var author: Person
    @Field(key: "text") var text: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(projectID: UUID, authorID: UUID, text: String) {
        self.$project.id = projectID
        self.$author.id = authorID
        self.text = text
    }
}

struct CreateProjectComments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProjectComment.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("text", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProjectComment.schema).delete()
    }
}

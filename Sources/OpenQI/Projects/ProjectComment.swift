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

extension Project {
    /// Adds a comment from someone who works on the project, with its audit entry.
    func comment(_ text: String?, author: UUID, by actor: Actor, on db: any Database) async throws {
        var validator = Validator()
        let text = validator.requiredText(text, field: "text", label: "your comment", maxLength: 4000)
        try validator.check()
        let comment = ProjectComment(projectID: try requireID(), authorID: author, text: text)
        try await db.transaction { db in
            try await comment.create(on: db)
            try await ProjectPartAudit(
                kind: "comment", id: comment.id, name: String(text.prefix(60)), project: self,
                auditFields: ["text": text]
            ).recordAudit(.create, by: actor, on: db)
        }
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

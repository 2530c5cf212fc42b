import Fluent
import Foundation

/// A coach's supervision by an improvement advisor: ELFT's coaches meet an advisor monthly to talk
/// through the projects they coach. A coach without one in the last two months is listed.
package final class Supervision: Model, @unchecked Sendable {
    package static let schema = "supervisions"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "coach_id") package var coach: Person
    @Parent(key: "advisor_id") package var advisor: Person
    @Field(key: "held_on") package var heldOn: Date
    @Field(key: "notes") package var notes: String
    @Siblings(through: SupervisedProject.self, from: \.$supervision, to: \.$project) package var projects: [Project]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(coachID: UUID, advisorID: UUID, heldOn: Date, notes: String) {
        self.$coach.id = coachID
        self.$advisor.id = advisorID
        self.heldOn = heldOn
        self.notes = notes
    }

    /// Coaches are listed when their latest supervision is older than this.
    static let dueAfterMonths = 2
}

/// A project talked through at a supervision.
package final class SupervisedProject: Model, @unchecked Sendable {
    package static let schema = "supervised_projects"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "supervision_id") package var supervision: Supervision
    @Parent(key: "project_id") package var project: Project

    package init() {}

    package init(supervisionID: UUID, projectID: UUID) {
        self.$supervision.id = supervisionID
        self.$project.id = projectID
    }
}

struct CreateSupervisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Supervision.schema)
            .id()
            .field("coach_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("advisor_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("held_on", .date, .required)
            .field("notes", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(SupervisedProject.schema)
            .id()
            .field("supervision_id", .uuid, .required, .references(Supervision.schema, "id", onDelete: .cascade))
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .unique(on: "supervision_id", "project_id")
            .create()
        try await CreateLookupIndexes.create([("supervisions", ["coach_id", "held_on"])], on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SupervisedProject.schema).delete()
        try await database.schema(Supervision.schema).delete()
    }
}

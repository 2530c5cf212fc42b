import Fluent
import SQLKit

struct CreateProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let status = try await database.enum("project_status")
            .case("draft").case("proposed").case("in_review").case("approved").case("declined").case("deferred")
            .case("active").case("completed").case("stopped")
            .create()
        let stage = try await database.enum("improvement_stage")
            .case("understand").case("strategy").case("test").case("implement").case("sustain")
            .create()
        let achieved = try await database.enum("aim_achieved").case("yes").case("partly").case("no").create()
        try await database.schema(Project.schema)
            .id()
            .field("title", .string, .required)
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("status", status, .required)
            .field("stage", stage)
            .field("what_matters", .string, .required)
            .field("problem", .string, .required)
            .field("aim_what", .string, .required)
            .field("aim_how_much", .string, .required)
            .field("aim_by_when", .date, .required)
            .field("proposer_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("coach_id", .uuid, .references(Person.schema, "id", onDelete: .restrict))
            .field("sponsor_id", .uuid, .references(Person.schema, "id", onDelete: .restrict))
            .field("progress_score", .double)
            .field("last_update_at", .datetime)
            .field("submitted_at", .datetime)
            .field("closed_at", .datetime)
            .field("aim_achieved", achieved)
            .field("learning", .string)
            .field("sustain_plan", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Project.schema).delete()
        try await database.enum("aim_achieved").delete()
        try await database.enum("improvement_stage").delete()
        try await database.enum("project_status").delete()
    }
}

struct CreateProjectPriorities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProjectPriority.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("priority_id", .uuid, .required, .references(Priority.schema, "id", onDelete: .restrict))
            .unique(on: "project_id", "priority_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProjectPriority.schema).delete()
    }
}

struct CreateTeamMembers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let involvement = try await database.enum("service_user_involvement")
            .case("none").case("occasional").case("full_partner").create()
        try await database.schema(TeamMember.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("role", .string, .required)
            .field("is_lead", .bool, .required)
            .field("involvement", involvement, .required)
            .unique(on: "project_id", "person_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TeamMember.schema).delete()
        try await database.enum("service_user_involvement").delete()
    }
}

struct CreateProgressUpdates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let stage = try await database.enum("improvement_stage").read()
        try await database.schema(ProgressUpdate.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("update_date", .date, .required)
            .field("score", .double, .required)
            .field("stage", stage)
            .field("did", .string, .required)
            .field("learned", .string, .required)
            .field("next_steps", .string, .required)
            .field("sponsor_ask", .string)
            .field("author_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgressUpdate.schema).delete()
    }
}

/// Keeps when a project was approved with the project, from its first approval by a forum.
struct AddApprovedAtToProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Project.schema).field("approved_at", .datetime).update()
        try await database.sql.raw(
            """
            UPDATE projects SET approved_at = (SELECT MIN(d.decided_at) FROM forum_decisions d
            WHERE d.project_id = projects.id AND d.decision = \(literal: ForumDecisionKind.approve.rawValue))
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Project.schema).deleteField("approved_at").update()
    }
}

/// Partner organisations on a project, named in the proposal.
struct AddPartnerOrganisationsToProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Project.schema).field("partner_organisations", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Project.schema).deleteField("partner_organisations").update()
    }
}

/// A version on every project, so that two people editing one proposal at once cannot overwrite
/// each other (`Versioned`).
struct AddVersionToProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Project.schema).field("version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Project.schema).deleteField("version").update()
    }
}

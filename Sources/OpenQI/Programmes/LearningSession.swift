import Fluent
import Foundation

/// A day when a programme's teams meet to learn from each other (IHI's Breakthrough Series),
/// about every eight weeks; between two sessions is an action period in which each team tests
/// what it planned.
package final class LearningSession: Model, @unchecked Sendable {
    package static let schema = "learning_sessions"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "programme_id") package var programme: Programme
    /// The calendar day it is held.
    @Field(key: "held_on") package var heldOn: Date
    @Field(key: "place") package var place: String
    @OptionalField(key: "agenda") package var agenda: String?
    @Children(for: \.$session) package var attendance: [LearningSessionAttendance]
    @Children(for: \.$session) package var plans: [ActionPeriodPlan]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Moves on with every change to its details or its register (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(programmeID: UUID, heldOn: Date, place: String, agenda: String?) {
        self.$programme.id = programmeID
        self.heldOn = heldOn
        self.place = place
        self.agenda = agenda
        self.version = 1
    }
}

extension LearningSession: Versioned {}

/// A session as the audit trail names it: "Learning session on 3 March 2026 — Access", under the
/// programme's unit.
struct LearningSessionAudit: Auditable {
    let session: LearningSession
    let programme: Programme
    /// What its register says, when the change was to the register.
    var register: [String: String] = [:]

    var auditSubject: AuditSubject {
        .init(
            kind: "learning_session", id: session.id,
            name: "Learning session on \(CalendarDay.label(session.heldOn)) — \(programme.name)",
            unitID: programme.$unit.id)
    }
    var auditFields: [String: String] {
        ["held_on": CalendarDay.text(session.heldOn), "place": session.place, "agenda": session.agenda ?? ""]
            .merging(register) { $1 }
    }
}

/// "This person came to the session for this team."
package final class LearningSessionAttendance: Model, @unchecked Sendable {
    package static let schema = "learning_session_attendance"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "session_id") package var session: LearningSession
    /// The team (a project of the programme) they came for.
    @Parent(key: "project_id") package var team: Project
    @Parent(key: "person_id") package var person: Person

    package init() {}

    package init(sessionID: UUID, teamID: UUID, personID: UUID) {
        self.$session.id = sessionID
        self.$team.id = teamID
        self.$person.id = personID
    }
}

/// What a team will test in the action period after a session, until the next.
package final class ActionPeriodPlan: Model, @unchecked Sendable {
    package static let schema = "action_period_plans"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "session_id") package var session: LearningSession
    @Parent(key: "project_id") package var team: Project
    @Field(key: "plan") package var plan: String

    package init() {}

    package init(sessionID: UUID, teamID: UUID, plan: String) {
        self.$session.id = sessionID
        self.$team.id = teamID
        self.plan = plan
    }
}

struct CreateLearningSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LearningSession.schema)
            .id()
            .field("programme_id", .uuid, .required, .references(Programme.schema, "id", onDelete: .cascade))
            .field("held_on", .datetime, .required)
            .field("place", .string, .required)
            .field("agenda", .string)
            .field("created_at", .datetime)
            .field("version", .int, .required, .sql(.default(1)))
            .create()
        try await database.schema(LearningSessionAttendance.schema)
            .id()
            .field("session_id", .uuid, .required, .references(LearningSession.schema, "id", onDelete: .cascade))
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .unique(on: "session_id", "project_id", "person_id")
            .create()
        try await database.schema(ActionPeriodPlan.schema)
            .id()
            .field("session_id", .uuid, .required, .references(LearningSession.schema, "id", onDelete: .cascade))
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("plan", .string, .required)
            .unique(on: "session_id", "project_id")
            .create()
        try await CreateLookupIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: any Database) async throws {
        try await CreateLookupIndexes.drop(Self.indexes, on: database)
        try await database.schema(ActionPeriodPlan.schema).delete()
        try await database.schema(LearningSessionAttendance.schema).delete()
        try await database.schema(LearningSession.schema).delete()
    }

    static let indexes: [(table: String, columns: [String])] = [
        ("learning_sessions", ["programme_id"]),
        ("learning_session_attendance", ["session_id"]),
        ("action_period_plans", ["session_id"]),
    ]
}

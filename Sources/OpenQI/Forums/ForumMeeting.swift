import Fluent
import Foundation

/// A monthly meeting of a directorate's QI forum. Its agenda is drafted by OpenQI from the projects
/// that need the forum: new proposals, projects due for review, and completions to celebrate.
package final class ForumMeeting: Model, @unchecked Sendable {
    package static let schema = "forum_meetings"

    @ID(key: .id) package var id: UUID?
    /// The unit whose forum this is (a directorate, or the organisation).
    @Parent(key: "unit_id") package var unit: Unit
    @Field(key: "meeting_date") package var date: Date
    @OptionalField(key: "notes") package var notes: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package init(unitID: UUID, date: Date, notes: String?) {
        self.$unit.id = unitID
        self.date = date
        self.notes = notes
    }
}

extension ForumMeeting: Auditable {
    var auditSubject: AuditSubject {
        .init(
            kind: "forum_meeting", id: id, name: "Forum on \(CalendarDay.label(date))",
            unitID: $unit.id)
    }
    var auditFields: [String: String] { ["date": CalendarDay.text(date), "notes": notes ?? ""] }
}

/// What a forum decided about a project.
package enum ForumDecisionKind: String, Codable, CaseIterable, Sendable {
    case approve
    case requestChanges = "request_changes"
    case `defer`
    case decline

    var label: String {
        switch self {
        case .approve: "Approved"
        case .requestChanges: "Changes requested"
        case .defer: "Deferred"
        case .decline: "Declined"
        }
    }

    /// The choice as the chair makes it, saying what it needs.
    var choiceLabel: String {
        switch self {
        case .approve: "Approve, with a QI coach and a sponsor"
        case .requestChanges: "Request changes, saying what to change"
        case .defer: "Defer to a later meeting"
        case .decline: "Decline, giving the reason"
        }
    }
}

/// A forum's decision on a project, kept as its history: approved with a coach and a sponsor,
/// sent back for changes, deferred to a date, or declined with a reason.
package final class ForumDecision: Model, @unchecked Sendable {
    package static let schema = "forum_decisions"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "project_id") package var project: Project
    @OptionalParent(key: "meeting_id") package var meeting: ForumMeeting?
    @Enum(key: "decision") package var decision: ForumDecisionKind
    @OptionalParent(key: "coach_id") package var coach: Person?
    @OptionalParent(key: "sponsor_id") package var sponsor: Person?
    @OptionalField(key: "defer_until") package var deferUntil: Date?
    @OptionalField(key: "reason") package var reason: String?
    @Parent(key: "decided_by_id") package var decidedBy: Person
    @Field(key: "decided_at") package var decidedAt: Date

    package init() {}
}

struct CreateForumMeetings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ForumMeeting.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("meeting_date", .date, .required)
            .field("notes", .string)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ForumMeeting.schema).delete()
    }
}

struct CreateForumDecisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let decision = try await database.enum("forum_decision")
            .case("approve").case("request_changes").case("defer").case("decline").create()
        try await database.schema(ForumDecision.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("meeting_id", .uuid, .references(ForumMeeting.schema, "id", onDelete: .setNull))
            .field("decision", decision, .required)
            .field("coach_id", .uuid, .references(Person.schema, "id", onDelete: .restrict))
            .field("sponsor_id", .uuid, .references(Person.schema, "id", onDelete: .restrict))
            .field("defer_until", .date)
            .field("reason", .string)
            .field("decided_by_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("decided_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ForumDecision.schema).delete()
        try await database.enum("forum_decision").delete()
    }
}

import Fluent
import Foundation

/// A team's safety or quality huddle: a short daily or weekly meeting at which the team names what
/// could go wrong, agrees who does what by when, and passes up what it cannot fix itself. Quality
/// control, in ELFT's quality management system, is the team's own watching of its work.
package final class Huddle: Model, @unchecked Sendable {
    package static let schema = "huddles"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "unit_id") package var unit: Unit
    @Field(key: "held_on") package var heldOn: Date
    @Field(key: "kind") package var kind: HuddleKind
    /// Who was there, as the team writes it: bank and agency staff have no record in OpenQI.
    @Field(key: "attendees") package var attendees: String
    @Parent(key: "recorded_by_id") package var recordedBy: Person
    @Field(key: "recorded_at") package var recordedAt: Date
    @Children(for: \.$huddle) package var issues: [HuddleIssue]

    package init() {}
}

package enum HuddleKind: String, Codable, CaseIterable, FormChoice, Sendable {
    case safety, quality

    package var label: String {
        switch self {
        case .safety: "Safety huddle"
        case .quality: "Quality huddle"
        }
    }
}

/// Something raised at a huddle, with the action agreed (an owner and a day it is due) and, when
/// the team cannot resolve it, its escalation to a unit above.
package final class HuddleIssue: Model, @unchecked Sendable {
    package static let schema = "huddle_issues"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "huddle_id") package var huddle: Huddle
    /// Its place among the huddle's issues, from 1.
    @Field(key: "position") package var position: Int
    @Field(key: "description") package var description: String
    @OptionalField(key: "action") package var action: String?
    @OptionalParent(key: "owner_id") package var owner: Person?
    @OptionalField(key: "action_due") package var actionDue: Date?
    @OptionalField(key: "action_done_on") package var actionDoneOn: Date?
    @OptionalChild(for: \.$issue) package var escalation: Escalation?

    package init() {}
}

/// An issue passed up to a unit above the team's (its directorate, say), which answers it by a day.
/// Open until the receiving unit closes it; past due while open after that day.
package final class Escalation: Model, @unchecked Sendable {
    package static let schema = "escalations"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "issue_id") package var issue: HuddleIssue
    @Parent(key: "from_unit_id") package var fromUnit: Unit
    @Parent(key: "to_unit_id") package var toUnit: Unit
    @Field(key: "due_on") package var dueOn: Date
    @Field(key: "raised_at") package var raisedAt: Date
    /// The receiving unit's latest answer, and who gave it.
    @OptionalField(key: "response") package var response: String?
    @OptionalParent(key: "responded_by_id") package var respondedBy: Person?
    @OptionalField(key: "responded_at") package var respondedAt: Date?
    @OptionalField(key: "closed_at") package var closedAt: Date?

    package init() {}

    package var isOpen: Bool { closedAt == nil }

    /// Still open after the day an answer was needed by.
    func isPastDue(on today: CalendarDay) -> Bool { isOpen && CalendarDay(containing: dueOn) < today }

    /// Open with no answer yet: what its receiving unit's leads are asked for.
    var awaitsResponse: Bool { isOpen && response == nil }
}

struct CreateHuddles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Huddle.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("held_on", .date, .required)
            .field("kind", .string, .required)
            .field("attendees", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema(HuddleIssue.schema)
            .id()
            .field("huddle_id", .uuid, .required, .references(Huddle.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("description", .string, .required)
            .field("action", .string)
            .field("owner_id", .uuid, .references(Person.schema, "id", onDelete: .restrict))
            .field("action_due", .date)
            .field("action_done_on", .date)
            .unique(on: "huddle_id", "position")
            .create()
        try await database.schema(Escalation.schema)
            .id()
            .field("issue_id", .uuid, .required, .references(HuddleIssue.schema, "id", onDelete: .cascade))
            .field("from_unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("to_unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("due_on", .date, .required)
            .field("raised_at", .datetime, .required)
            .field("response", .string)
            .field("responded_by_id", .uuid, .references(Person.schema, "id", onDelete: .restrict))
            .field("responded_at", .datetime)
            .field("closed_at", .datetime)
            .unique(on: "issue_id")
            .create()
        try await CreateLookupIndexes.create(
            [
                (Huddle.schema, ["unit_id", "held_on"]), (HuddleIssue.schema, ["owner_id"]),
                (Escalation.schema, ["to_unit_id", "closed_at"]), (Escalation.schema, ["from_unit_id", "closed_at"]),
            ], on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Escalation.schema).delete()
        try await database.schema(HuddleIssue.schema).delete()
        try await database.schema(Huddle.schema).delete()
    }
}

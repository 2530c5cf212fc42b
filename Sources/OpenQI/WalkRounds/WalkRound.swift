import Fluent
import Foundation

/// An executive's visit to a team, after ELFT's WalkRounds: a different team each week, around four
/// open questions, with what the executive agreed to follow up. Scheduled first (`plannedOn`), then
/// recorded once held (`heldOn` and the answers).
package final class WalkRound: Model, @unchecked Sendable {
    package static let schema = "walk_rounds"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "unit_id") package var unit: Unit
    @Parent(key: "executive_id") package var executive: Person
    @Field(key: "planned_on") package var plannedOn: Date
    @OptionalField(key: "held_on") package var heldOn: Date?
    /// A planned visit called off: kept, so its history and audit trail stand.
    @OptionalField(key: "cancelled_at") package var cancelledAt: Date?
    /// The four questions' answers, as the executive heard them.
    @OptionalField(key: "proud_of") package var proudOf: String?
    @OptionalField(key: "improving") package var improving: String?
    @OptionalField(key: "in_the_way") package var inTheWay: String?
    @OptionalField(key: "self_care") package var selfCare: String?
    @Children(for: \.$walkRound) package var actions: [WalkRoundAction]
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package var isHeld: Bool { heldOn != nil }
    package var isCancelled: Bool { cancelledAt != nil }

    /// The four questions a WalkRound is built around, in the order they are asked.
    static let questions: [(field: String, question: String)] = [
        ("proud_of", "What is the team proud of?"),
        ("improving", "What is it working to improve?"),
        ("in_the_way", "What gets in the way of doing its best?"),
        ("self_care", "How is it taking care of itself?"),
    ]
}

/// A follow-up a WalkRound agreed, with its owner and due day, tracked by the team and the executive
/// until it is done.
package final class WalkRoundAction: Model, @unchecked Sendable {
    package static let schema = "walk_round_actions"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "walk_round_id") package var walkRound: WalkRound
    @Field(key: "position") package var position: Int
    @Field(key: "action") package var action: String
    @Parent(key: "owner_id") package var owner: Person
    @Field(key: "due_on") package var dueOn: Date
    @OptionalField(key: "done_on") package var doneOn: Date?

    package init() {}
}

struct AddExecutiveRole: AsyncMigration {
    func prepare(on database: any Database) async throws {
        _ = try await database.enum("role").case(Role.executive.rawValue).update()
    }

    func revert(on database: any Database) async throws {
        _ = try await database.enum("role").deleteCase(Role.executive.rawValue).update()
    }
}

struct CreateWalkRounds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WalkRound.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("executive_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("planned_on", .date, .required)
            .field("held_on", .date)
            .field("cancelled_at", .datetime)
            .field("proud_of", .string)
            .field("improving", .string)
            .field("in_the_way", .string)
            .field("self_care", .string)
            .field("created_at", .datetime)
            .create()
        try await database.schema(WalkRoundAction.schema)
            .id()
            .field("walk_round_id", .uuid, .required, .references(WalkRound.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("action", .string, .required)
            .field("owner_id", .uuid, .required, .references(Person.schema, "id", onDelete: .restrict))
            .field("due_on", .date, .required)
            .field("done_on", .date)
            .unique(on: "walk_round_id", "position")
            .create()
        try await CreateLookupIndexes.create(
            [
                (WalkRound.schema, ["unit_id", "held_on"]), (WalkRound.schema, ["executive_id", "held_on"]),
                (WalkRoundAction.schema, ["owner_id"]),
            ], on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WalkRoundAction.schema).delete()
        try await database.schema(WalkRound.schema).delete()
    }
}

import Fluent
import Foundation

/// Where a PDSA cycle has got to: planned, running (do and study), or complete (acted on).
package enum PDSAStatus: String, Codable, CaseIterable, Sendable {
    case planned, running, complete

    var label: String { rawValue.capitalized }
}

/// What the team decided after studying a cycle.
package enum PDSADecision: String, Codable, CaseIterable, FormChoice, Sendable {
    case adopt, adapt, abandon

    var label: String {
        switch self {
        case .adopt: "Adopt: make it part of how we work"
        case .adapt: "Adapt: change it and test again"
        case .abandon: "Abandon: it did not help"
        }
    }

    var shortLabel: String { rawValue.capitalized }
}

/// One Plan–Do–Study–Act cycle testing a change idea. The cycles of one idea, numbered in order,
/// form its ramp: small tests that grow in scale as confidence grows.
package final class PDSACycle: Model, @unchecked Sendable {
    package static let schema = "pdsa_cycles"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "project_id") package var project: Project
    @Parent(key: "change_idea_id") package var changeIdea: ChangeIdea
    /// The cycle's place on the idea's ramp: 1, 2, 3…
    @Field(key: "number") package var number: Int
    @Enum(key: "status") package var status: PDSAStatus
    // Plan
    @Field(key: "objective") package var objective: String
    @Field(key: "question") package var question: String
    @Field(key: "prediction") package var prediction: String
    @Field(key: "who") package var who: String
    @Field(key: "plan_what") package var what: String
    @Field(key: "plan_where") package var place: String
    @Field(key: "planned_start") package var plannedStart: Date
    @OptionalField(key: "planned_end") package var plannedEnd: Date?
    @Siblings(through: PDSAWatchedMeasure.self, from: \.$cycle, to: \.$measure) package var watchedMeasures: [Measure]
    // Do, Study, Act
    @OptionalField(key: "started_on") package var startedOn: Date?
    @OptionalField(key: "do_notes") package var doNotes: String?
    @OptionalField(key: "study_notes") package var studyNotes: String?
    @OptionalEnum(key: "decision") package var decision: PDSADecision?
    @OptionalField(key: "act_notes") package var actNotes: String?
    @OptionalField(key: "completed_on") package var completedOn: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Moves on with every change: plan, start, Do and Study, Act (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    /// "PDSA 2 · Falls huddle at handover"
    var name: String { "PDSA \(number) · \($changeIdea.value?.title ?? "change idea")" }
}

/// A measure whose chart the team watches during a cycle.
extension PDSACycle: ProjectPart {}

package final class PDSAWatchedMeasure: Model, @unchecked Sendable {
    package static let schema = "pdsa_watched_measures"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "cycle_id") package var cycle: PDSACycle
    @Parent(key: "measure_id") package var measure: Measure

    package init() {}
}

struct CreatePDSACycles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let status = try await database.enum("pdsa_status").case("planned").case("running").case("complete").create()
        let decision = try await database.enum("pdsa_decision").case("adopt").case("adapt").case("abandon").create()
        try await database.schema(PDSACycle.schema)
            .id()
            .field("project_id", .uuid, .required, .references(Project.schema, "id", onDelete: .cascade))
            .field("change_idea_id", .uuid, .required, .references(ChangeIdea.schema, "id", onDelete: .restrict))
            .field("number", .int, .required)
            .field("status", status, .required)
            .field("objective", .string, .required)
            .field("question", .string, .required)
            .field("prediction", .string, .required)
            .field("who", .string, .required)
            .field("plan_what", .string, .required)
            .field("plan_where", .string, .required)
            .field("planned_start", .date, .required)
            .field("planned_end", .date)
            .field("started_on", .date)
            .field("do_notes", .string)
            .field("study_notes", .string)
            .field("decision", decision)
            .field("act_notes", .string)
            .field("completed_on", .date)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "change_idea_id", "number")
            .create()
        try await database.schema(PDSAWatchedMeasure.schema)
            .id()
            .field("cycle_id", .uuid, .required, .references(PDSACycle.schema, "id", onDelete: .cascade))
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id", onDelete: .cascade))
            .unique(on: "cycle_id", "measure_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PDSAWatchedMeasure.schema).delete()
        try await database.schema(PDSACycle.schema).delete()
        try await database.enum("pdsa_decision").delete()
        try await database.enum("pdsa_status").delete()
    }
}

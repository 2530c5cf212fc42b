import Fluent
import Foundation

/// The Institute for Healthcare Improvement's Triple Aim, under which a board reads its Whole
/// System Measures: the health of the population served, the experience and quality of care, and
/// the value (cost) of care.
enum TripleAim: String, Codable, CaseIterable, Sendable {
    case populationHealth = "population_health"
    case experienceAndQuality = "experience_quality"
    case value

    var label: String {
        switch self {
        case .populationHealth: "Population health"
        case .experienceAndQuality: "Experience and quality of care"
        case .value: "Value"
        }
    }
}

/// One month's board quality report of a unit (usually the trust): the analyst's narrative for each
/// Whole System Measure, a patient story in the patient's words, and an improvement story from a
/// project. The charts themselves are drawn from the measures' data when the report is read.
final class BoardReport: Model, @unchecked Sendable {
    static let schema = "board_reports"

    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: Unit
    /// The first day of the month reported on.
    @Field(key: "month") var month: Date
    /// The analyst's narrative per measure, by the measure's id.
    @Field(key: "narratives") var narratives: [String: String]
    @OptionalField(key: "patient_story_title") var patientStoryTitle: String?
    @OptionalField(key: "patient_story") var patientStory: String?
    @OptionalParent(key: "improvement_story_id") var improvementStory: Story?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(unitID: UUID, month: Date) {
        self.$unit.id = unitID
        self.month = month
        self.narratives = [:]
    }
}

extension BoardReport: Auditable {
    var auditSubject: AuditSubject { .init(kind: "board_report", id: id, name: "Board report", unitID: $unit.id) }
    var auditFields: [String: String] {
        [
            "month": MeasureSeries.day(month), "patient_story_title": patientStoryTitle ?? "",
            "improvement_story_id": $improvementStory.id?.uuidString ?? "",
            "narratives": "\(narratives.values.filter { !$0.isEmpty }.count)",
        ]
    }
}

struct CreateBoardReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Measure.schema).field("triple_aim", .string).update()
        try await database.schema(BoardReport.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .cascade))
            .field("month", .date, .required)
            .field("narratives", .json, .required)
            .field("patient_story_title", .string)
            .field("patient_story", .string)
            .field("improvement_story_id", .uuid, .references(Story.schema, "id", onDelete: .setNull))
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "month")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BoardReport.schema).delete()
        try await database.schema(Measure.schema).deleteField("triple_aim").update()
    }
}

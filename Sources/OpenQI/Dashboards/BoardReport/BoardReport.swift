import Fluent
import Foundation

/// The Institute for Healthcare Improvement's Triple Aim, under which a board reads its Whole
/// System Measures: the health of the population served, the experience and quality of care, and
/// the value (cost) of care.
package enum TripleAim: String, Codable, CaseIterable, FormChoice, Sendable {
    case populationHealth = "population_health"
    case experienceAndQuality = "experience_quality"
    case value

    package var label: String {
        switch self {
        case .populationHealth: "Population health"
        case .experienceAndQuality: "Experience and quality of care"
        case .value: "Value"
        }
    }
}

/// One month's board quality report of a unit (usually the trust): which Whole System Measures it
/// shows under which aim, the analyst's narrative for each, a patient story in the patient's words,
/// and an improvement story from a project. The charts are drawn from the measures' data up to the
/// month's end when the report is read, so a past month's report reads as it did.
package final class BoardReport: Model, @unchecked Sendable {
    package static let schema = "board_reports"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "unit_id") package var unit: Unit
    /// The first day of the month reported on.
    @Field(key: "month") package var month: Date
    /// The analyst's narrative per measure, by the measure's id.
    @Field(key: "narratives") package var narratives: [String: String]
    @OptionalField(key: "patient_story_title") package var patientStoryTitle: String?
    @OptionalField(key: "patient_story") package var patientStory: String?
    @OptionalParent(key: "improvement_story_id") package var improvementStory: Story?
    /// The measures on this month's report and the aim each is under, by the measure's id. Each
    /// report keeps its own, so choosing differently next month leaves this one as it was.
    @OptionalField(key: "measure_aims") package var measureAims: [String: TripleAim]?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Moves on with every save of the report (`Versioned`); 0 stands for "not written yet" in a form.
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(unitID: UUID, month: Date) {
        self.$unit.id = unitID
        self.month = month
        self.narratives = [:]
        self.version = 1
    }
}

extension BoardReport: Versioned {}

extension BoardReport: Auditable {
    package var auditSubject: AuditSubject {
        .init(kind: "board_report", id: id, name: "Board report", unitID: $unit.id)
    }
    /// Everything the report says, so the audit log shows what changed in the words themselves.
    package var auditFields: [String: String] {
        var fields = [
            "month": CalendarDay.text(month), "patient_story_title": patientStoryTitle ?? "",
            "patient_story": patientStory ?? "", "improvement_story_id": $improvementStory.id?.uuidString ?? "",
        ]
        for (id, narrative) in narratives where !narrative.isEmpty { fields["narrative \(id)"] = narrative }
        for (id, aim) in measureAims ?? [:] { fields["aim \(id)"] = aim.rawValue }
        return fields
    }
}

/// Each report keeps its own choice of measures. Reports written before this get the choice as it
/// stood on the measures.
/// A version on every board report, so that two analysts writing one month's report at once
/// cannot overwrite each other (`Versioned`).
struct AddVersionToBoardReports: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(BoardReport.schema).field("version", .int, .required, .sql(.default(1))).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(BoardReport.schema).deleteField("version").update()
    }
}

struct AddMeasureAimsToBoardReports: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(BoardReport.schema).field("measure_aims", .json).update()
        // Only the columns this step knows, so later columns of the models cannot break it.
        for report in try await BoardReport.query(on: database).field(\.$id).field(\.$unit.$id).all() {
            let measures = try await Measure.query(on: database).filter(\.$unit.$id == report.$unit.id)
                .filter(\.$tripleAim != nil).filter(\.$archivedAt == nil).field(\.$id).field(\.$tripleAim).all()
            try await BoardReport.query(on: database).filter(\.$id == report.requireID())
                .set(\.$measureAims, to: BoardReport.stored(BoardReport.measureAims(nil, unitMeasures: measures)))
                .update()
        }
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(BoardReport.schema).deleteField("measure_aims").update()
    }
}

struct CreateBoardReports: AsyncMigration {
    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        try await database.schema(BoardReport.schema).delete()
        try await database.schema(Measure.schema).deleteField("triple_aim").update()
    }
}

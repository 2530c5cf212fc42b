import Fluent
import Foundation
import SPC
import SQLKit

/// What a measure tells a team: whether the system improved (outcome), whether the changes are
/// happening (process), or whether something else got worse (balancing).
package enum MeasureKind: String, Codable, CaseIterable, FormChoice, Sendable {
    case outcome, process, balancing

    var label: String {
        switch self {
        case .outcome: "Outcome"
        case .process: "Process"
        case .balancing: "Balancing"
        }
    }
}

/// How often data are collected.
package enum DataFrequency: String, Codable, CaseIterable, FormChoice, Sendable {
    case daily, weekly, monthly, quarterly

    var label: String { rawValue.capitalized }

    /// What its periods are called: "days", "weeks", "months", "quarters".
    var periodsName: String {
        switch self {
        case .daily: "days"
        case .weekly: "weeks"
        case .monthly: "months"
        case .quarterly: "quarters"
        }
    }

    /// Days between periods, for "data overdue" checks.
    var days: Double {
        switch self {
        case .daily: 1
        case .weekly: 7
        case .monthly: 31
        case .quarterly: 92
        }
    }
}

extension RuleSet: FormChoice {
    var label: String {
        switch self {
        case .anhoej: "Anhøj (qicharts2)"
        case .mdc: "Making Data Count (NHS)"
        case .ihi: "IHI (Health Care Data Guide)"
        case .we: "Western Electric"
        }
    }
}

extension ImprovementDirection: FormChoice {
    var label: String {
        switch self {
        case .up: "Higher"
        case .down: "Lower"
        case .neutral: "Neither"
        }
    }
}

/// A measure, owned by a project or by a unit (ward safety indicators, the board's Whole System
/// Measures), shown as a run or control chart.
package final class Measure: Model, Versioned, @unchecked Sendable {
    package static let schema = "measures"

    @ID(key: .id) package var id: UUID?
    @OptionalParent(key: "project_id") package var project: Project?
    /// The unit the measure belongs to: the project's unit, or the unit that owns it.
    @Parent(key: "unit_id") package var unit: Unit
    @Field(key: "name") package var name: String
    /// A stable name for loading data in bulk (`ward-7.falls`), unique across the organisation,
    /// lower case; nil until someone gives one.
    @OptionalField(key: "key") package var key: String?
    @Enum(key: "kind") package var kind: MeasureKind
    @Field(key: "definition") package var definition: String
    @OptionalField(key: "unit_of_measure") package var unitOfMeasure: String?
    @Enum(key: "frequency") package var frequency: DataFrequency
    @Field(key: "chart_type") package var chartType: String
    @Field(key: "rules") package var rules: String
    @Field(key: "direction") package var direction: String
    @OptionalField(key: "target") package var target: Double?
    @Field(key: "multiply") package var multiply: Double
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    /// Moves on with every edit of the definition (`Versioned`).
    @Field(key: "version") package var version: Int
    /// The organisation's standard measure it was made from, whose definition it keeps, and the
    /// version of that definition it follows.
    @OptionalParent(key: "standard_id") package var standard: StandardMeasure?
    @OptionalField(key: "standard_version") package var standardVersion: Int?
    /// Where the board quality report shows this measure, if it is one of the board's Whole System Measures.
    @OptionalField(key: "triple_aim") package var tripleAim: TripleAim?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() { version = 1 }

    var chart: ChartType { options.chart }
    var ruleSet: RuleSet { options.rules }
    var improvement: ImprovementDirection { options.direction }

    var options: SPCOptions {
        Self.options(chartType: chartType, rules: rules, direction: direction, target: target, multiply: multiply)
    }

    /// The chart settings as stored, in SPC's terms; an unknown name falls back to the plainest choice.
    static func options(chartType: String, rules: String, direction: String, target: Double?, multiply: Double)
        -> SPCOptions
    {
        SPCOptions(
            chart: ChartType(rawValue: chartType) ?? .run, rules: RuleSet(rawValue: rules) ?? .anhoej,
            direction: ImprovementDirection(rawValue: direction) ?? .neutral, target: target, multiply: multiply)
    }
}

extension Measure {
    /// A project's measures still in use, by name: the ones its pages, forms and API list.
    static func inUse(byProject projectID: UUID, on db: any Database) async throws -> [Measure] {
        try await query(on: db).filter(\.$project.$id == projectID).filter(\.$archivedAt == nil).sort(\.$name).all()
    }
}

extension Measure: Auditable {
    var auditSubject: AuditSubject {
        .init(kind: "measure", id: id, name: name, unitID: $unit.id, projectID: $project.id)
    }
    var auditFields: [String: String] {
        [
            "name": name, "key": key ?? "", "kind": kind.rawValue, "definition": definition,
            "unit_of_measure": unitOfMeasure ?? "",
            "frequency": frequency.rawValue, "chart_type": chartType, "rules": rules, "direction": direction,
            "target": target.map { "\($0)" } ?? "", "multiply": "\(multiply)",
            "triple_aim": tripleAim?.rawValue ?? "", "standard": $standard.id?.uuidString ?? "",
            "standard_version": standardVersion.map(String.init) ?? "",
        ]
    }
}

/// A note on a measure's chart at a period: "PDSA 2 started", "New triage form adopted".
package final class MeasureAnnotation: Model, @unchecked Sendable {
    package static let schema = "measure_annotations"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "measure_id") package var measure: Measure
    @Field(key: "period") package var period: Date
    @Field(key: "text") package var text: String

    package init() {}

    package init(measureID: UUID, period: Date, text: String) {
        self.$measure.id = measureID
        self.period = CalendarDay(containing: period).date
        self.text = text
    }
}

/// "Recalculate limits from here": a new phase of the chart after a sustained change.
package final class PhaseBreak: Model, @unchecked Sendable {
    package static let schema = "phase_breaks"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "measure_id") package var measure: Measure
    @Field(key: "period") package var period: Date
    @Field(key: "label") package var label: String

    package init() {}

    package init(measureID: UUID, period: Date, label: String) {
        self.$measure.id = measureID
        self.period = CalendarDay(containing: period).date
        self.label = label
    }
}

/// A dated mark on a measure's chart: an annotation, or the start of a phase.
protocol ChartMark: Model where IDValue == UUID {
    var measureID: UUID { get }
    var period: Date { get }
    /// What the chart shows at the mark.
    var words: String { get }
}

extension ChartMark {
    /// The mark as the audit trail records it: "31 March 2026: New triage form adopted".
    var said: String { "\(CalendarDay.label(period)): \(words)" }
}

extension MeasureAnnotation: ChartMark {
    var measureID: UUID { $measure.id }
    var words: String { text }
}

extension PhaseBreak: ChartMark {
    var measureID: UUID { $measure.id }
    var words: String { label }
}

struct CreateMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let kind = try await database.enum("measure_kind").case("outcome").case("process").case("balancing").create()
        let frequency = try await database.enum("data_frequency").case("daily").case("weekly").case("monthly").case(
            "quarterly"
        ).create()
        try await database.schema(Measure.schema)
            .id()
            .field("project_id", .uuid, .references(Project.schema, "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references(Unit.schema, "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("kind", kind, .required)
            .field("definition", .string, .required)
            .field("unit_of_measure", .string)
            .field("frequency", frequency, .required)
            .field("chart_type", .string, .required)
            .field("rules", .string, .required)
            .field("direction", .string, .required)
            .field("target", .double)
            .field("multiply", .double, .required)
            .field("archived_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Measure.schema).delete()
        try await database.enum("data_frequency").delete()
        try await database.enum("measure_kind").delete()
    }
}

/// Keys for matching uploaded data to measures. The unique index is made in SQL because SQLite
/// cannot add a constraint to an existing table; both databases allow many rows without a key.
struct AddKeysToMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Measure.schema).field("key", .string).update()
        try await database.sql.raw("CREATE UNIQUE INDEX measures_key ON measures (key)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX measures_key").run()
        try await database.schema(Measure.schema).deleteField("key").update()
    }
}

struct CreateMeasureAnnotations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MeasureAnnotation.schema)
            .id()
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id", onDelete: .cascade))
            .field("period", .date, .required)
            .field("text", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MeasureAnnotation.schema).delete()
    }
}

struct CreatePhaseBreaks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PhaseBreak.schema)
            .id()
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id", onDelete: .cascade))
            .field("period", .date, .required)
            .field("label", .string, .required)
            .unique(on: "measure_id", "period")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PhaseBreak.schema).delete()
    }
}

struct AddVersionToMeasures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Measure.schema).field("version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Measure.schema).deleteField("version").update()
    }
}

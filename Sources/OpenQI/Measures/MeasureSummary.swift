import Fluent
import Foundation
import SPC

/// A measure's chart in one row: what the measures summary, the ward early-warning grid and the
/// board need to list thousands of measures without recomputing a chart each. Rewritten whenever
/// the chart changes (new data, a new phase), in the same transaction as the change.
final class MeasureSummary: Model, @unchecked Sendable {
    static let schema = "measure_summaries"
    /// How many of the latest plotted values the sparkline shows: half a year of weeks.
    static let recentCount = 26

    @ID(key: .id) var id: UUID?
    @Parent(key: "measure_id") var measure: Measure
    @Field(key: "points") var points: Int
    @OptionalField(key: "latest_period") var latestPeriod: Date?
    /// The latest plotted value (a proportion or rate for p and u charts).
    @OptionalField(key: "latest_value") var latestValue: Double?
    @Field(key: "latest_class") var latestClass: String
    @Field(key: "variation") var variation: String
    @OptionalField(key: "assurance") var assurance: String?
    /// The latest plotted values, comma-separated, empty where a period was not plotted.
    @Field(key: "recent") var recent: String
    @Field(key: "computed_at") var computedAt: Date

    init() {}

    var variationIcon: VariationIcon { VariationIcon(rawValue: variation) ?? .commonCause }
    var assuranceIcon: AssuranceIcon? { assurance.flatMap(AssuranceIcon.init(rawValue:)) }
    var latestPointClass: PointClass { PointClass(rawValue: latestClass) ?? .common }
    var recentValues: [Double?] { Self.values(recent) }

    static func values(_ recent: String) -> [Double?] {
        recent.isEmpty ? [] : recent.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
    }

    /// Fills the row from a computed chart.
    func apply(_ result: SPCResult, latestPeriod: Date?) {
        points = result.points.count
        self.latestPeriod = latestPeriod
        latestValue = result.points.last?.y
        latestClass = (result.points.last?.pointClass ?? .common).rawValue
        variation = result.variation.rawValue
        assurance = result.assurance?.rawValue
        recent = result.points.suffix(Self.recentCount).map { $0.y.map { "\($0)" } ?? "" }.joined(separator: ",")
        computedAt = Date()
    }
}

extension Measure {
    /// Recomputes the measure's chart and rewrites its summary row. Call in the transaction that
    /// changed the data or the phases.
    func refreshSummary(on db: any Database) async throws {
        let id = try requireID()
        let series = try await MeasureSeries.load(self, on: db)
        let summary =
            try await MeasureSummary.query(on: db).filter(\.$measure.$id == id).first()
            ?? {
                let summary = MeasureSummary()
                summary.$measure.id = id
                return summary
            }()
        summary.apply(series.result, latestPeriod: series.periods.last?.period)
        try await summary.save(on: db)
    }
}

struct CreateMeasureSummaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema)
            .id()
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id", onDelete: .cascade))
            .field("points", .int, .required)
            .field("latest_period", .date)
            .field("latest_value", .double)
            .field("latest_class", .string, .required)
            .field("variation", .string, .required)
            .field("assurance", .string)
            .field("recent", .string, .required)
            .field("computed_at", .datetime, .required)
            .unique(on: "measure_id")
            .create()
        // Measures that already have data get their summary now, so every list shows them at once.
        for measure in try await Measure.query(on: database).all() {
            try await measure.refreshSummary(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema).delete()
    }
}

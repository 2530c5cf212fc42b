import Fluent
import Foundation
import SPC
import SQLKit

/// A measure's chart in one row: what the measures summary, the ward early-warning grid and the
/// board need to list thousands of measures without recomputing a chart each. Rewritten whenever
/// the chart changes (new data, a new phase), in the same transaction as the change.
package final class MeasureSummary: Model, @unchecked Sendable {
    package static let schema = "measure_summaries"
    /// How many of the latest plotted values the sparkline shows: half a year of weeks.
    package static let recentCount = 26

    @ID(key: .id) package var id: UUID?
    @Parent(key: "measure_id") package var measure: Measure
    @Field(key: "points") package var points: Int
    @OptionalField(key: "latest_period") package var latestPeriod: Date?
    /// The latest plotted value (a proportion or rate for p and u charts).
    @OptionalField(key: "latest_value") package var latestValue: Double?
    @Field(key: "latest_class") package var latestClass: String
    @Field(key: "variation") package var variation: String
    @OptionalField(key: "assurance") package var assurance: String?
    /// The latest plotted values, comma-separated, empty where a period was not plotted.
    @Field(key: "recent") package var recent: String
    /// The latest run of consecutive points classed as a special cause of concern: its first and
    /// last periods. Whoever watches the measure (a completed project's sustaining of its gains)
    /// tells one signal from the next by where it began.
    @OptionalField(key: "concern_from") package var concernFrom: Date?
    @OptionalField(key: "concern_to") package var concernTo: Date?
    @Field(key: "computed_at") package var computedAt: Date

    package init() {}

    package var variationIcon: VariationIcon { VariationIcon(rawValue: variation) ?? .commonCause }
    package var assuranceIcon: AssuranceIcon? { assurance.flatMap(AssuranceIcon.init(rawValue:)) }
    package var latestPointClass: PointClass { PointClass(rawValue: latestClass) ?? .common }
    package var recentValues: [Double?] { Self.values(recent) }

    /// Split on bytes rather than Characters: the summary page reads one of these per measure, and
    /// splitting by Character was a third of its time for 5,000 measures.
    package static func values(_ recent: String) -> [Double?] {
        guard !recent.isEmpty else { return [] }
        var recent = recent
        return recent.withUTF8 { bytes in
            bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { cell in
                cell.isEmpty ? nil : Double(String(decoding: UnsafeBufferPointer(rebasing: cell), as: UTF8.self))
            }
        }
    }

    /// Fills the row from a computed chart, without its signal of concern (which needs the periods):
    /// for summaries that are never watched, as the benchmark's.
    package func apply(_ result: SPCResult, latestPeriod: Date?) {
        points = result.points.count
        self.latestPeriod = latestPeriod
        latestValue = result.points.last?.y
        latestClass = (result.points.last?.pointClass ?? .common).rawValue
        variation = result.variation.rawValue
        assurance = result.assurance?.rawValue
        recent = Self.recent(result)
        computedAt = AppClock.now
    }
}

extension Measure {
    /// Recomputes the measure's chart and rewrites its summary row. Call in the transaction that
    /// changed the data or the phases.
    package func refreshSummary(on db: any Database) async throws {
        try await MeasureSummary.refresh([self], on: db)
    }
}

extension MeasureSummary {
    /// Recomputes the charts of many measures and rewrites their summary rows: a few queries per
    /// thousand measures rather than several per measure, so a bulk upload or the demo refreshes
    /// fifty thousand in seconds. (Annotations do not change a chart's statistics, so they are not read.)
    /// It writes every column summaries have today, so a migration should write its own columns
    /// instead (`AddConcernToMeasureSummaries.findSignals`): `AddRevisionsToMeasureSummaries` calls
    /// this, which holds only for databases whose every measure already had a summary (any made
    /// since summaries existed).
    package static func refresh(_ measures: [Measure], on db: any Database) async throws {
        try await refresh(measures.map { (try $0.requireID(), $0.options) }, on: db)
    }

    /// Recomputes the charts of the measures with these ids and chart settings, from the series in
    /// `known` where the caller has them as they now stand, and from the database otherwise.
    static func refresh(
        _ measures: [(id: UUID, options: SPCOptions)], known: [UUID: [MeasureSeries.Period]] = [:],
        on db: any Database
    ) async throws {
        for chunk in measures.chunked(into: 1000) {
            let ids = chunk.map(\.id)
            var points = try await DataPoint.series(of: ids.filter { known[$0] == nil }, on: db)
            for id in ids { if let series = known[id] { points[id] = series } }
            let breaks = Dictionary(
                grouping: try await PhaseBreak.query(on: db).filter(\.$measure.$id ~~ ids).sort(\.$period).all(),
                by: \.$measure.id)
            let now = AppClock.now
            let insert = db.sql.insert(into: MeasureSummary.schema)
                .columns(
                    "id", "measure_id", "points", "latest_period", "latest_value", "latest_class", "variation",
                    "assurance", "recent", "concern_from", "concern_to", "computed_at", "revision")
            for measure in chunk {
                let id = measure.id
                let series = MeasureSeries(
                    measureID: id, name: "", options: measure.options, periods: points[id] ?? [],
                    annotations: [], phaseBreaks: (breaks[id] ?? []).map { ($0.period, $0.label) })
                let result = series.result
                let concern = latestConcern(result, periods: series.periods.map(\.period))
                insert.values(
                    UUID(), id, result.points.count, series.periods.last?.period, result.points.last?.y,
                    (result.points.last?.pointClass ?? .common).rawValue, result.variation.rawValue,
                    result.assurance?.rawValue, recent(result), concern?.from, concern?.to, now, 1)
            }
            try await insert.onConflict(with: ["measure_id"]) { conflict in
                conflict.set(excludedValueOf: "points").set(excludedValueOf: "latest_period")
                    .set(excludedValueOf: "latest_value").set(excludedValueOf: "latest_class")
                    .set(excludedValueOf: "variation").set(excludedValueOf: "assurance")
                    .set(excludedValueOf: "recent").set(excludedValueOf: "concern_from")
                    .set(excludedValueOf: "concern_to").set(excludedValueOf: "computed_at")
                    .set(
                        "revision",
                        to: SQLBinaryExpression(
                            SQLColumn("revision", table: MeasureSummary.schema), .add, SQLLiteral.numeric("1")))
            }.run()
        }
    }

    /// How many times each measure's summary has been written; none for a measure without one.
    package static func revisions(of measureIDs: [UUID], on db: any Database) async throws -> [UUID: Int] {
        var revisions: [UUID: Int] = [:]
        for chunk in measureIDs.chunked(into: 1000) {
            for row in try await db.sql.select().columns("measure_id", "revision").from(schema)
                .where("measure_id", .in, SQLBind.group(Array(chunk))).all()
            {
                revisions[try row.decode(column: "measure_id", as: UUID.self)] = try row.decode(
                    column: "revision", as: Int.self)
            }
        }
        return revisions
    }

    /// The first and last periods of the latest run of consecutive points classed as a special
    /// cause of concern, by the measure's own rules; nil when no point is. `periods` are the
    /// chart's, one per point.
    package static func latestConcern(_ result: SPCResult, periods: [Date]) -> (from: Date, to: Date)? {
        guard periods.count == result.points.count,
            let last = result.points.lastIndex(where: { $0.pointClass == .concern })
        else { return nil }
        var first = last
        while first > 0, result.points[first - 1].pointClass == .concern { first -= 1 }
        return (periods[first], periods[last])
    }

    /// The latest plotted values, comma-separated, empty where a period was not plotted.
    package static func recent(_ result: SPCResult) -> String {
        result.points.suffix(recentCount).map { $0.y.map { "\($0)" } ?? "" }.joined(separator: ",")
    }
}

/// Summaries say where their latest signal of concern began and ended, so a completed project's
/// outcome measures can be watched for slipping gains by a query. Measures of completed projects
/// are summarised again here; the others when their data next change.
struct AddConcernToMeasureSummaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema).field("concern_from", .date).update()
        try await database.schema(MeasureSummary.schema).field("concern_to", .date).update()
        try await Self.findSignals(on: database)
    }

    /// Writes the latest signal of concern of every completed project's measure that has a summary.
    static func findSignals(on database: any Database) async throws {
        // Only these two columns are written here (not through `refresh`, which writes whatever
        // columns summaries have when it runs), so a later column cannot break this migration.
        let completed = try await database.sql.raw(
            """
            SELECT m.id, m.chart_type, m.rules, m.direction, m.target, m.multiply FROM measures m
            JOIN projects p ON p.id = m.project_id
            JOIN measure_summaries s ON s.measure_id = m.id
            WHERE p.status = \(literal: ProjectStatus.completed.rawValue)
            """
        ).all()
        for chunk in completed.chunked(into: 1000) {
            let ids = try chunk.map { try $0.decode(column: "id", as: UUID.self) }
            let series = try await DataPoint.series(of: ids, on: database)
            var breaks: [UUID: [(period: Date, label: String)]] = [:]
            for row in try await database.sql.raw(
                """
                SELECT measure_id, period, label FROM \(ident: PhaseBreak.schema)
                WHERE measure_id IN (\(binds: ids)) ORDER BY period
                """
            ).all() {
                breaks[try row.decode(column: "measure_id", as: UUID.self), default: []].append(
                    (try row.decode(column: "period", as: Date.self), try row.decode(column: "label", as: String.self)))
            }
            for (id, row) in zip(ids, chunk) {
                let measured = MeasureSeries(
                    measureID: id, name: "",
                    options: Measure.options(
                        chartType: try row.decode(column: "chart_type", as: String.self),
                        rules: try row.decode(column: "rules", as: String.self),
                        direction: try row.decode(column: "direction", as: String.self),
                        target: try row.decode(column: "target", as: Double?.self),
                        multiply: try row.decode(column: "multiply", as: Double.self)),
                    periods: series[id] ?? [], annotations: [], phaseBreaks: breaks[id] ?? [])
                guard
                    let concern = MeasureSummary.latestConcern(
                        measured.result, periods: measured.periods.map(\.period))
                else { continue }
                try await database.sql.update(MeasureSummary.schema).set("concern_from", to: concern.from)
                    .set("concern_to", to: concern.to).where("measure_id", .equal, id).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema).deleteField("concern_from").update()
        try await database.schema(MeasureSummary.schema).deleteField("concern_to").update()
    }
}

struct CreateMeasureSummaries: AsyncMigration {
    package func prepare(on database: any Database) async throws {
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
        // Measures that already had data got their summaries here once; `AddRevisionsToMeasureSummaries`
        // does it now, when the table has every column `refresh` writes.
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema).delete()
    }
}

/// Numbers each summary's rewrites, so a data load planned outside its transaction can tell that
/// nobody else changed a measure since (`DataLoad.apply`). Also summarises measures that have
/// none yet: those with data from before summaries existed.
struct AddRevisionsToMeasureSummaries: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema).field("revision", .int, .required, .sql(.default(0)))
            .update()
        let summarised = Set(try await MeasureSummary.query(on: database).all(\.$measure.$id))
        // Only the columns the measures table has at this point: later migrations may add more.
        let measures = try await Measure.query(on: database).field(\.$id).field(\.$chartType).field(\.$rules)
            .field(\.$direction).field(\.$target).field(\.$multiply).all()
        try await MeasureSummary.refresh(measures.filter { !summarised.contains($0.id!) }, on: database)
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(MeasureSummary.schema).deleteField("revision").update()
    }
}

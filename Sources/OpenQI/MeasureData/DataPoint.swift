import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// One period's value of a measure: a count or numerator, with a denominator where the chart
/// needs one.
///
/// Points are the one table that grows into the millions, and they are only ever read a
/// measure's series at a time, or written by (measure, period). So they are stored keyed by
/// exactly that, with no surrogate id — on SQLite as a `WITHOUT ROWID` table, one B-tree holding
/// each series in order — and read and written here in bulk SQL rather than as Fluent models,
/// which would decode each row by reflection.
package struct DataPoint: Sendable, Equatable {
    package static let schema = "data_points"

    package let measureID: UUID
    package let period: Date
    package let value: Double
    package let denominator: Double?
    package let note: String?

    /// `period` is kept as the calendar day it falls on, whatever time of day it carries: a period
    /// is a day, and a time would make a second point for a day that already has one.
    package init(measureID: UUID, period: Date, value: Double, denominator: Double?, note: String?) {
        self.measureID = measureID
        self.period = CalendarDay(containing: period).date
        self.value = value
        self.denominator = denominator
        self.note = note
    }

    /// Removes one period's value of a measure. SQLite keeps ids as text and periods as seconds
    /// (as `upsert` writes them), so it is given them so.
    static func remove(measureID: UUID, period: Date, on db: any Database) async throws {
        if let sqlite = db as? any SQLiteDatabase {
            _ = try await sqlite.query(
                "DELETE FROM data_points WHERE measure_id = ? AND period = ?",
                [.text(measureID.uuidString), .float(period.timeIntervalSince1970)])
            return
        }
        try await db.sql.delete(from: schema).where("measure_id", .equal, SQLBind(measureID))
            .where("period", .equal, SQLBind(period)).run()
    }

    /// The measures' series, each in period order; a measure without data has no entry.
    static func series(of measureIDs: [UUID], on db: any Database) async throws -> [UUID: [MeasureSeries.Period]] {
        if let sqlite = db as? any SQLiteDatabase { return try await series(of: measureIDs, on: sqlite) }
        if let postgres = db as? any PostgresDatabase { return try await series(of: measureIDs, on: postgres) }
        var series: [UUID: [MeasureSeries.Period]] = [:]
        for chunk in measureIDs.chunked(into: 1000) {
            let rows = try await db.sql.select()
                .columns("measure_id", "period", "value", "denominator", "note")
                .from(schema)
                .where("measure_id", .in, SQLBind.group(Array(chunk)))
                .orderBy("measure_id").orderBy("period")
                .all()
            for row in rows {
                series[try row.decode(column: "measure_id", as: UUID.self), default: []].append(
                    .init(
                        period: try row.decode(column: "period", as: Date.self),
                        value: try row.decode(column: "value", as: Double.self),
                        denominator: try row.decode(column: "denominator", as: Double?.self),
                        note: try row.decode(column: "note", as: String?.self)))
            }
        }
        return series
    }

    package static func count(on db: any Database) async throws -> Int {
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from(schema).first()
        return try row?.decode(column: "count", as: Int.self) ?? 0
    }

    /// The latest period with data of each measure.
    package static func latestPeriods(of measureIDs: [UUID], on db: any Database) async throws -> [UUID: Date] {
        var latest: [UUID: Date] = [:]
        for chunk in measureIDs.chunked(into: 1000) {
            let rows = try await db.sql.select()
                .column("measure_id")
                .column(SQLFunction("MAX", args: SQLIdentifier("period")), as: "latest")
                .from(schema)
                .where("measure_id", .in, SQLBind.group(Array(chunk)))
                .groupBy("measure_id")
                .all()
            for row in rows {
                latest[try row.decode(column: "measure_id", as: UUID.self)] = try row.decode(
                    column: "latest", as: Date.self)
            }
        }
        return latest
    }

    /// Writes the points, replacing any a measure already has for the same period. The caller
    /// wraps a large write in a transaction, so that it lands whole or not at all.
    package static func upsert(_ points: [DataPoint], on db: any Database) async throws {
        if let sqlite = db as? any SQLiteDatabase { return try await upsert(points, on: sqlite) }
        if let postgres = db as? any PostgresDatabase { return try await upsert(points, on: postgres) }
        // Any other SQL database: five values a row, 500 rows a statement.
        for batch in points.chunked(into: 500) {
            let insert = db.sql.insert(into: schema).columns("measure_id", "period", "value", "denominator", "note")
            for point in batch {
                insert.values(point.measureID, point.period, point.value, point.denominator, point.note)
            }
            try await insert.onConflict(with: ["measure_id", "period"]) { conflict in
                conflict.set(excludedValueOf: "value").set(excludedValueOf: "denominator").set(excludedValueOf: "note")
            }.run()
        }
    }
}

struct CreateDataPoints: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        try await database.schema(DataPoint.schema)
            .id()
            .field("measure_id", .uuid, .required, .references(Measure.schema, "id", onDelete: .cascade))
            .field("period", .date, .required)
            .field("value", .double, .required)
            .field("denominator", .double)
            .field("note", .string)
            .unique(on: "measure_id", "period")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(DataPoint.schema).delete()
    }
}

/// Keys points by (measure, period) instead of a random id: the id was never used to find a
/// point, and each random id cost a second index, written at a random place for every row. On
/// SQLite the table becomes `WITHOUT ROWID`, so a series is stored in order in one B-tree; a bulk
/// import writes a third as many pages.
struct KeyDataPointsByMeasureAndPeriod: AsyncMigration {
    package func prepare(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "sqlite" {
            try await sql.raw(
                """
                CREATE TABLE data_points_keyed (
                    "measure_id" UUID NOT NULL REFERENCES "measures" ("id") ON DELETE CASCADE,
                    "period" DATE NOT NULL, "value" DOUBLE NOT NULL, "denominator" DOUBLE, "note" TEXT,
                    PRIMARY KEY ("measure_id", "period")
                ) WITHOUT ROWID
                """
            ).run()
            try await sql.raw(
                """
                INSERT INTO data_points_keyed (measure_id, period, value, denominator, note)
                SELECT measure_id, period, value, denominator, note FROM data_points
                """
            ).run()
            try await sql.raw("DROP TABLE data_points").run()
            try await sql.raw("ALTER TABLE data_points_keyed RENAME TO data_points").run()
        } else {
            try await sql.raw("ALTER TABLE data_points DROP COLUMN id").run()
            try await sql.raw(
                #"ALTER TABLE data_points DROP CONSTRAINT "uq:data_points.measure_id+data_points.period""#
            )
            .run()
            try await sql.raw("ALTER TABLE data_points ADD PRIMARY KEY (measure_id, period)").run()
        }
    }

    /// Back to a random id a point, as `CreateDataPoints` made the table.
    package func revert(on database: any Database) async throws {
        let sql = database.sql
        let stored = try await DataPoint.series(
            // Only the id: columns added by later migrations are gone by the time this one reverts.
            of: try await Measure.query(on: database).all(\.$id), on: database)
        try await sql.raw("DROP TABLE data_points").run()
        try await CreateDataPoints().prepare(on: database)
        for (measureID, periods) in stored {
            for batch in periods.chunked(into: 500) {
                let insert = sql.insert(into: DataPoint.schema)
                    .columns("id", "measure_id", "period", "value", "denominator", "note")
                for point in batch {
                    insert.values(UUID(), measureID, point.period, point.value, point.denominator, point.note)
                }
                try await insert.run()
            }
        }
    }
}

/// Periods stored with a time of day (the demo wrote them so, and SQLite keeps what it is given)
/// become the midnight of their day, as every save writes them. Where a day already has a point
/// at midnight, that one (a later, deliberate save) is kept; of several on one day, the latest.
/// PostgreSQL's DATE columns never held a time, so there is nothing to do there.
struct NormalisePeriodsToDays: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard !(database is any PostgresDatabase) else { return }
        let sql = database.sql
        // The midnight of x's day, in seconds since 1970: CAST truncates toward zero, so a time
        // before 1970 steps back a day.
        func day(_ x: String) -> String {
            "((CAST(\(x) / 86400 AS INTEGER) - (\(x) < CAST(\(x) / 86400 AS INTEGER) * 86400)) * 86400)"
        }
        for table in [DataPoint.schema, PhaseBreak.schema] {
            try await sql.raw(
                """
                DELETE FROM \(unsafeRaw: table) WHERE period != \(unsafeRaw: day("period")) AND EXISTS (
                    SELECT 1 FROM \(unsafeRaw: table) AS other WHERE other.measure_id = \(unsafeRaw: table).measure_id
                    AND (other.period = \(unsafeRaw: day(table + ".period"))
                        OR (\(unsafeRaw: day("other.period")) = \(unsafeRaw: day(table + ".period"))
                            AND other.period > \(unsafeRaw: table).period)))
                """
            ).run()
        }
        for table in [DataPoint.schema, PhaseBreak.schema, MeasureAnnotation.schema] {
            try await sql.raw(
                "UPDATE \(unsafeRaw: table) SET period = \(unsafeRaw: day("period")) WHERE period != \(unsafeRaw: day("period"))"
            ).run()
        }
    }

    /// The times of day are not worth keeping: nothing to undo.
    func revert(on database: any Database) async throws {}
}

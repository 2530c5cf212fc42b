import FluentPostgresDriver
import Foundation

/// Data points on PostgreSQL, through PostgresNIO beneath Fluent rather than through SQLKit, for
/// the same reason as on SQLite (`DataPoint+SQLite.swift`): SQLKit's Codable round trip per value
/// cost more than the database's own work on a bulk import. PostgresNIO binds and decodes these
/// types in PostgreSQL's binary format directly.
extension DataPoint {
    static func series(of measureIDs: [UUID], on postgres: any PostgresDatabase) async throws
        -> [UUID: [MeasureSeries.Period]]
    {
        var series: [UUID: [MeasureSeries.Period]] = [:]
        for chunk in measureIDs.chunked(into: 1000) {
            var binds = PostgresBindings(capacity: 1)
            binds.append(Array(chunk))
            let query = PostgresQuery(
                unsafeSQL: """
                    SELECT measure_id, period, value, denominator, note FROM data_points
                    WHERE measure_id = ANY($1) ORDER BY measure_id, period
                    """,
                binds: binds)
            let rows = try await run(on: postgres) { connection in
                var read: [(UUID, MeasureSeries.Period)] = []
                let rows = try await connection.query(query, logger: connection.logger)
                for try await (id, period, value, denominator, note) in rows.decode(
                    (UUID, Date, Double, Double?, String?).self)
                {
                    read.append((id, .init(period: period, value: value, denominator: denominator, note: note)))
                }
                return read
            }
            for (id, period) in rows { series[id, default: []].append(period) }
        }
        return series
    }

    static func upsert(_ points: [DataPoint], on postgres: any PostgresDatabase) async throws {
        // Five values a row, 2,000 rows a statement: well inside PostgreSQL's 65,535 bound values.
        for batch in points.chunked(into: 2000) {
            var binds = PostgresBindings(capacity: batch.count * 5)
            for point in batch {
                binds.append(point.measureID)
                binds.append(point.period)
                binds.append(point.value)
                binds.append(point.denominator)
                binds.append(point.note)
            }
            let values = (0..<batch.count).map { row in
                let first = row * 5
                return "($\(first + 1),$\(first + 2),$\(first + 3),$\(first + 4),$\(first + 5))"
            }
            let query = PostgresQuery(
                unsafeSQL: """
                    INSERT INTO data_points (measure_id, period, value, denominator, note)
                    VALUES \(values.joined(separator: ","))
                    ON CONFLICT (measure_id, period) DO UPDATE SET
                    value = excluded.value, denominator = excluded.denominator, note = excluded.note
                    """,
                binds: binds)
            _ = try await run(on: postgres) { connection in
                _ = try await connection.query(query, logger: connection.logger)
                return true
            }
        }
    }

    /// Runs `body` on the database's connection: the one of the transaction, inside one.
    private static func run<Result: Sendable>(
        on postgres: any PostgresDatabase,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await body(connection) }
        }.get()
    }
}

import FluentSQLiteDriver
import Foundation

/// Data points on SQLite, through the SQLite driver beneath Fluent rather than through SQLKit.
///
/// A bulk import reads and writes a million values; SQLKit turns every bound value and every
/// cell read into an `Encodable`/`Decodable` round trip with dynamic casts, which was most of an
/// import's time (`openqi bench import`). Here values go straight to and from `SQLiteData`, in
/// the representation Fluent's SQLite driver itself uses — a UUID as its upper-case text, a date
/// as seconds since 1970 — so rows written either way read back the same.
extension DataPoint {
    static func series(of measureIDs: [UUID], on sqlite: any SQLiteDatabase) async throws
        -> [UUID: [MeasureSeries.Period]]
    {
        let reader = SeriesReader()
        for chunk in measureIDs.chunked(into: 1000) {
            // On the connection itself: SQLite's driver otherwise hands each row to the event loop
            // as a future of its own, which cost more than reading it.
            try await sqlite.withConnection { connection in
                try await connection.query(
                    """
                    SELECT measure_id, period, value, denominator, note FROM data_points
                    WHERE measure_id IN (\(placeholders(chunk.count))) ORDER BY measure_id, period
                    """,
                    chunk.map { .text($0.uuidString) }
                ) { row in reader.read(row) }
            }
            try reader.finishQuery()
        }
        return reader.series
    }

    static func upsert(_ points: [DataPoint], on sqlite: any SQLiteDatabase) async throws {
        // Five values a row, 1,000 rows a statement: well inside SQLite's 32,766 bound values.
        let full = statement(rows: 1000)
        var uuidText: (id: UUID, text: String)? = nil
        for batch in points.chunked(into: 1000) {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(batch.count * 5)
            for point in batch {
                // Points come grouped by measure: write each id's text once.
                if uuidText?.id != point.measureID { uuidText = (point.measureID, point.measureID.uuidString) }
                binds.append(.text(uuidText!.text))
                binds.append(.float(point.period.timeIntervalSince1970))
                binds.append(.float(point.value))
                binds.append(point.denominator.map { .float($0) } ?? .null)
                binds.append(point.note.map { .text($0) } ?? .null)
            }
            _ = try await sqlite.query(batch.count == 1000 ? full : statement(rows: batch.count), binds)
        }
    }

    private static func statement(rows: Int) -> String {
        """
        INSERT INTO data_points (measure_id, period, value, denominator, note) VALUES \
        \(repeatElement("(?,?,?,?,?)", count: rows).joined(separator: ","))
        ON CONFLICT (measure_id, period) DO UPDATE SET
        value = excluded.value, denominator = excluded.denominator, note = excluded.note
        """
    }

    private static func placeholders(_ count: Int) -> String {
        repeatElement("?", count: count).joined(separator: ",")
    }

    /// A date as SQLite's driver reads one: seconds since 1970, rounded to the microsecond.
    fileprivate static func date(_ data: SQLiteData?) -> Date? {
        let seconds: Double
        switch data {
        case .float(let value): seconds = value
        case .integer(let value): seconds = Double(value)
        default: return nil
        }
        let sinceReference = seconds - Date.timeIntervalBetween1970AndReferenceDate
        return Date(timeIntervalSinceReferenceDate: (sinceReference * 1e6).rounded() / 1e6)
    }
}

/// Gathers rows into series as the driver steps through them. The driver calls `read` for one
/// query's rows in turn on one thread, and the caller reads the result after the query is done.
private final class SeriesReader: @unchecked Sendable {
    var series: [UUID: [MeasureSeries.Period]] = [:]
    private var error: SQLiteReadError?
    /// The measure being read: rows come grouped by measure, so each id is parsed once.
    private var current: (text: String, id: UUID, periods: [MeasureSeries.Period])?

    func read(_ row: SQLiteRow) {
        guard error == nil else { return }
        guard case .text(let text) = row.column("measure_id") else { return fail("measure_id") }
        if current?.text != text {
            guard let id = UUID(uuidString: text) else { return fail("measure_id") }
            store()
            current = (text, id, [])
        }
        guard let period = DataPoint.date(row.column("period")), let value = row.column("value")?.double else {
            return fail("period or value")
        }
        current?.periods.append(
            .init(
                period: period, value: value, denominator: row.column("denominator")?.double,
                note: row.column("note")?.string))
    }

    /// Ends a query's rows, throwing if any could not be read.
    func finishQuery() throws {
        store()
        if let error { throw error }
    }

    private func store() {
        if let current { series[current.id] = current.periods }
        current = nil
    }

    private func fail(_ column: String) { error = .column(column) }
}

/// A stored data point that does not read as one: only possible if the table was changed by hand.
struct SQLiteReadError: Error, CustomStringConvertible {
    let column: String
    static func column(_ name: String) -> SQLiteReadError { SQLiteReadError(column: name) }
    var description: String { "A stored data point has an unreadable \(column)." }
}

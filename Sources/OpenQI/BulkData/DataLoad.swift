import Fluent
import Foundation
import SQLKit
import Vapor

/// Checked rows going into measures: first what they would change (`plan`), then the change
/// (`apply`). Every way data arrives ends here — a single measure's paste or grid, a many-measure
/// upload, the API — so all of them upsert by (measure, period), leave unchanged rows alone (a
/// re-upload changes nothing), refresh the measures' summaries and audit each measure.
struct DataLoad: Sendable {
    /// How many periods a load adds, changes, and finds already as they are.
    struct Counts: Content, Sendable, Equatable {
        var added = 0
        var changed = 0
        var unchanged = 0

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(added: a.added + b.added, changed: a.changed + b.changed, unchanged: a.unchanged + b.unchanged)
        }
    }

    /// A period to write: new, or different from what is stored.
    struct Change: Sendable {
        let measureID: UUID
        let period: Date
        let value: Double
        let denominator: Double?
        let note: String?
    }

    private(set) var changes: [Change] = []
    private(set) var counts: [UUID: Counts] = [:]
    /// The periods each measure has before the load, for the audit trail.
    private var stored: [UUID: Int] = [:]

    var total: Counts { counts.values.reduce(Counts(), +) }
    var measureIDs: [UUID] { Array(counts.keys) }

    private struct StoredPoint {
        let value: Double
        let denominator: Double?
        let note: String?
    }

    /// Compares the rows with what is stored, in a few queries per thousand measures.
    static func plan(_ rows: [UUID: [DataImport.Row]], on db: any Database) async throws -> DataLoad {
        var load = DataLoad()
        // In a fixed order, so a load writes the same statements every time it is given the same rows.
        for chunk in rows.keys.sorted(by: { $0.uuidString < $1.uuidString }).chunked(into: 1000) {
            var existing: [UUID: [Date: StoredPoint]] = [:]
            let stored = try await db.sql.select()
                .columns("measure_id", "period", "value", "denominator", "note")
                .from(DataPoint.schema)
                .where("measure_id", .in, SQLBind.group(Array(chunk)))
                .all()
            for row in stored {
                existing[try row.decode(column: "measure_id", as: UUID.self), default: [:]][
                    try row.decode(column: "period", as: Date.self)] = StoredPoint(
                        value: try row.decode(column: "value", as: Double.self),
                        denominator: try row.decode(column: "denominator", as: Double?.self),
                        note: try row.decode(column: "note", as: String?.self))
            }
            for id in chunk {
                var counts = Counts()
                let points = existing[id] ?? [:]
                load.stored[id] = points.count
                for row in rows[id] ?? [] {
                    // Rows without a note (the grid, a two-column paste) keep the note already there.
                    let old = points[row.period]
                    let note = row.note ?? old?.note
                    if let old, old.value == row.value, old.denominator == row.denominator, old.note == note {
                        counts.unchanged += 1
                        continue
                    }
                    if old == nil { counts.added += 1 } else { counts.changed += 1 }
                    load.changes.append(
                        Change(
                            measureID: id, period: row.period, value: row.value, denominator: row.denominator,
                            note: note))
                }
                load.counts[id] = counts
            }
        }
        return load
    }

    /// Writes the changes in one transaction, with the summaries and audit entries of the measures
    /// that changed: all of it or, if anything fails, none of it.
    func apply(by actor: Actor, on db: any Database) async throws {
        guard !changes.isEmpty else { return }
        try await db.transaction { db in
            // Six values a row, 500 rows a statement: well inside both databases' limits on bound values.
            for batch in changes.chunked(into: 500) {
                let insert = db.sql.insert(into: DataPoint.schema)
                    .columns("id", "measure_id", "period", "value", "denominator", "note")
                for change in batch {
                    insert.values(
                        UUID(), change.measureID, change.period, change.value, change.denominator, change.note)
                }
                try await insert.onConflict(with: ["measure_id", "period"]) { conflict in
                    conflict.set(excludedValueOf: "value").set(excludedValueOf: "denominator")
                        .set(excludedValueOf: "note")
                }.run()
            }
            let changed = counts.filter { $0.value.added + $0.value.changed > 0 }.map(\.key)
            var measures: [Measure] = []
            for chunk in changed.chunked(into: 1000) {
                measures += try await Measure.query(on: db).filter(\.$id ~~ Array(chunk)).all()
            }
            try await MeasureSummary.refresh(measures, on: db)
            let entries = try measures.map { measure in
                let counts = self.counts[try measure.requireID()] ?? Counts()
                let before = stored[try measure.requireID()] ?? 0
                return MeasureDataAudit(
                    measure: measure, periods: before + counts.added, added: counts.added, replaced: counts.changed
                ).auditEntry(.update, by: actor, before: ["periods": "\(before)"])
            }
            for batch in entries.chunked(into: 200) { try await Array(batch).create(on: db) }
        }
    }
}

/// A data load as the audit trail records it on each measure: how many periods were added and replaced.
struct MeasureDataAudit: Auditable {
    let measure: Measure
    let periods: Int
    let added: Int
    let replaced: Int

    var auditSubject: AuditSubject {
        .init(
            kind: "measure_data", id: measure.id, name: "Data of \(measure.name)", unitID: measure.$unit.id,
            projectID: measure.$project.id)
    }
    var auditFields: [String: String] { ["periods": "\(periods)", "added": "\(added)", "replaced": "\(replaced)"] }
}

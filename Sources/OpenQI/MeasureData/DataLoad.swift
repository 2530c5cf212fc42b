import Fluent
import Foundation
import SQLKit
import Vapor

/// Checked rows going into measures: first what they would change (`plan`), then the change
/// (`apply`). Every way data arrives ends here — a single measure's paste or grid, a many-measure
/// upload, the API — so all of them upsert by (measure, period), leave unchanged rows alone (a
/// re-upload changes nothing), refresh the measures' summaries and audit each measure.
package struct DataLoad: Sendable {
    /// How many periods a load adds, changes, and finds already as they are.
    package struct Counts: Content, Sendable, Equatable {
        var added = 0
        var changed = 0
        var unchanged = 0

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(added: a.added + b.added, changed: a.changed + b.changed, unchanged: a.unchanged + b.unchanged)
        }
    }

    /// The points to write: new, or different from what is stored.
    private(set) var changes: [DataPoint] = []
    private(set) var counts: [UUID: Counts] = [:]
    /// The periods each measure has before the load, for the audit trail.
    private var stored: [UUID: Int] = [:]
    /// The measures the rows go into.
    private var measures: [UUID: MeasureBrief] = [:]
    /// What the plan read: each changed measure's series, and its summary's revision beforehand.
    private var series: [UUID: [MeasureSeries.Period]] = [:]
    private var revisions: [UUID: Int] = [:]

    package var total: Counts { counts.values.reduce(Counts(), +) }
    package var measureIDs: [UUID] { Array(counts.keys) }

    /// Compares the rows with what is stored, in a few queries per thousand measures. `measures`
    /// are the measures the rows go into, as the caller already read them.
    package static func plan(
        _ rows: [UUID: [DataImport.Row]], measures: some Sequence<MeasureBrief>, on db: any Database
    ) async throws -> DataLoad {
        var load = DataLoad()
        load.measures = Dictionary(measures.map { ($0.id, $0) }) { first, _ in first }
        let missing = rows.keys.filter { load.measures[$0] == nil }
        for measure in try await MeasureBrief.load(ids: missing, on: db) { load.measures[measure.id] = measure }
        // In a fixed order, so a load writes the same statements every time it is given the same rows.
        for chunk in inFixedOrder(rows.keys).chunked(into: 1000) {
            // The revisions before the series: a write landing between the two reads then shows
            // as a new revision, never as an old revision beside new data.
            load.revisions.merge(try await MeasureSummary.revisions(of: Array(chunk), on: db)) { first, _ in first }
            let series = try await DataPoint.series(of: Array(chunk), on: db)
            for id in chunk {
                var counts = Counts()
                let stored = series[id] ?? []
                let points = Dictionary(stored.map { ($0.period, $0) }) { first, _ in first }
                load.stored[id] = stored.count
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
                        DataPoint(
                            measureID: id, period: row.period, value: row.value, denominator: row.denominator,
                            note: note))
                }
                load.counts[id] = counts
                if counts.added + counts.changed > 0 { load.series[id] = stored }
            }
        }
        return load
    }

    /// The planned series of these measures with the changes made, each in period order.
    private func merged(_ ids: Set<UUID>) -> [UUID: [MeasureSeries.Period]] {
        var merged: [UUID: [MeasureSeries.Period]] = [:]
        // `plan` writes each measure's changes one after another.
        var start = changes.startIndex
        while start < changes.endIndex {
            let id = changes[start].measureID
            let end = changes[start...].firstIndex { $0.measureID != id } ?? changes.endIndex
            if ids.contains(id) {
                var new = changes[start..<end].map {
                    MeasureSeries.Period(period: $0.period, value: $0.value, denominator: $0.denominator, note: $0.note)
                }
                if !zip(new, new.dropFirst()).allSatisfy({ $0.period < $1.period }) {
                    new.sort { $0.period < $1.period }
                }
                merged[id] = Self.merge(series[id] ?? [], new)
            }
            start = end
        }
        return merged
    }

    /// Two series in period order as one, `new` replacing `old` where both have a period.
    private static func merge(_ old: [MeasureSeries.Period], _ new: [MeasureSeries.Period]) -> [MeasureSeries.Period] {
        guard !old.isEmpty else { return new }
        var result: [MeasureSeries.Period] = []
        result.reserveCapacity(old.count + new.count)
        var (o, n) = (old.startIndex, new.startIndex)
        while o < old.endIndex || n < new.endIndex {
            if n == new.endIndex || (o < old.endIndex && old[o].period < new[n].period) {
                result.append(old[o])
                o += 1
            } else {
                if o < old.endIndex, old[o].period == new[n].period { o += 1 }
                result.append(new[n])
                n += 1
            }
        }
        return result
    }

    /// The ids in the order of their text, the same on every run and both databases.
    private static func inFixedOrder(_ ids: some Collection<UUID>) -> [UUID] {
        ids.map { ($0.uuidString, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Writes the changes in one transaction, with the summaries and audit entries of the measures
    /// that changed: all of it or, if anything fails, none of it.
    package func apply(by actor: Actor, on db: any Database) async throws {
        guard !changes.isEmpty else { return }
        try await db.transaction { db in
            try await DataPoint.upsert(changes, on: db)
            let changed = Self.inFixedOrder(counts.filter { $0.value.added + $0.value.changed > 0 }.keys)
                .compactMap { measures[$0] }
            // Each summary must be of the series as it now stands. Where nobody has written to a
            // measure since the plan read it (its summary's revision is the same, read now that
            // this transaction holds the write), that is the planned series with the changes;
            // otherwise it is read again.
            let revisions = try await MeasureSummary.revisions(of: changed.map(\.id), on: db)
            let current = changed.filter { revisions[$0.id] == self.revisions[$0.id] }
            try await MeasureSummary.refresh(
                changed.map { ($0.id, $0.options) }, known: merged(Set(current.map(\.id))), on: db)
            let entries = changed.map { measure in
                let counts = self.counts[measure.id] ?? Counts()
                let before = stored[measure.id] ?? 0
                return MeasureDataAudit(
                    measure: measure, periods: before + counts.added, added: counts.added, replaced: counts.changed
                ).auditEntry(.update, by: actor, before: ["periods": "\(before)"])
            }
            try await AuditEntry.record(entries, on: db)
        }
    }
}

/// A data load as the audit trail records it on each measure: how many periods were added and replaced.
struct MeasureDataAudit: Auditable {
    package let measure: MeasureBrief
    package let periods: Int
    package let added: Int
    package let replaced: Int

    package var auditSubject: AuditSubject {
        .init(
            kind: "measure_data", id: measure.id, name: "Data of \(measure.name)", unitID: measure.unitID,
            projectID: measure.projectID)
    }
    package var auditFields: [String: String] {
        ["periods": "\(periods)", "added": "\(added)", "replaced": "\(replaced)"]
    }
}

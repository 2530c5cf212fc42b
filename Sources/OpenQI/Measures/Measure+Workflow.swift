import Charts
import Fluent
import Foundation
import SPC
import SQLKit
import Vapor

/// What a measure counts and how its chart reads: a measure's own definition, and a standard
/// measure's, which the measures made from it take.
protocol MeasureDefinition: AnyObject {
    var name: String { get set }
    var kind: MeasureKind { get set }
    var definition: String { get set }
    var unitOfMeasure: String? { get set }
    var frequency: DataFrequency { get set }
    var chartType: String { get set }
    var rules: String { get set }
    var direction: String { get set }
    var target: Double? { get set }
    var multiply: Double { get set }
}

extension MeasureDefinition {
    /// Takes a valid definition (a key, which only a measure has, aside).
    func applyDefinition(_ valid: MeasureInput.Valid) {
        name = valid.name
        kind = valid.kind
        definition = valid.definition
        unitOfMeasure = valid.unitOfMeasure
        frequency = valid.frequency
        chartType = valid.chart.rawValue
        rules = valid.rules.rawValue
        direction = valid.direction.rawValue
        target = valid.target
        multiply = valid.multiply
    }
}

extension Measure: MeasureDefinition {
    func apply(_ valid: MeasureInput.Valid) {
        applyDefinition(valid)
        key = valid.key
    }

    /// Adds or replaces data by period, in one transaction: a re-import of the same rows changes nothing.
    func upsert(_ rows: [DataImport.Row], by actor: Actor, on db: any Database) async throws -> (
        added: Int, replaced: Int
    ) {
        let load = try await DataLoad.plan([try requireID(): rows], measures: [try MeasureBrief(self)], on: db)
        try await load.apply(by: actor, on: db)
        return (load.total.added, load.total.changed)
    }
}

extension Measure {
    /// Takes the measure's row for the rest of the transaction (a write that changes nothing), so
    /// another save of its data waits until this one commits: a check made inside then holds.
    func holdForWriting(on db: any Database) async throws {
        try await db.sql.raw("UPDATE \(ident: Self.schema) SET version = version WHERE id = \(bind: requireID())").run()
    }

    /// Audits an annotation or phase added to or removed from the chart, by what it said: the
    /// measure's own fields do not change, so they would not show it.
    func recordChartChange(
        added: Bool, annotation: String? = nil, phase: String? = nil, value: String? = nil, by actor: Actor,
        on db: any Database
    ) async throws {
        var change: [String: String] = [:]
        change["annotation"] = annotation
        change["phase"] = phase
        change["value"] = value
        try await AuditEntry(
            occurredAt: AppClock.now, actorAccountID: actor.accountID, actorName: actor.name, action: .update,
            subject: auditSubject, before: added ? [:] : change, after: added ? change : [:]
        ).create(on: db)
    }
}

extension Measure {
    /// Removes the value recorded for one period (a value entered against the wrong week, say), with
    /// the summary recalculated and what it was kept in the audit trail, in one transaction.
    func removeDataPoint(at period: CalendarDay, by actor: Actor, on db: any Database) async throws {
        let id = try requireID()
        try await db.transaction { db in
            try await self.holdForWriting(on: db)
            guard
                let point = try await DataPoint.series(of: [id], on: db)[id]?.first(where: { $0.period == period.date })
            else {
                throw ValidationFailure(
                    field: "period",
                    message: "There is no value for \(period.label) to remove; it may have been removed already.")
            }
            let said =
                "\(period.label): \(Describe.plain(point.value))"
                + (point.denominator.map { " of \(Describe.plain($0))" } ?? "")
            try await DataPoint.remove(measureID: id, period: point.period, on: db)
            try await self.refreshSummary(on: db)
            try await self.recordChartChange(added: false, value: said, by: actor, on: db)
        }
    }
}

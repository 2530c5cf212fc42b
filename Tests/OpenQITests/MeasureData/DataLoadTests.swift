import Fluent
import Foundation
import SPC
import Testing
import Vapor

@testable import OpenQI

/// Where every way data arrives ends: points stored and read back exactly, and each measure's
/// summary kept true to its data however loads interleave. On both databases.
@Suite("Loading data", .serialized)
struct DataLoadTests {
    static let monday = CalendarDay.date("2026-01-05")!

    static func week(_ number: Int) -> Date { monday.addingTimeInterval(Double(number) * 7 * 86_400) }

    static func rows(_ values: [(week: Int, value: Double)], denominator: Double? = nil) -> [DataImport.Row] {
        values.enumerated().map { index, entry in
            DataImport.Row(
                line: index + 2, period: week(entry.week), value: entry.value, denominator: denominator, note: nil)
        }
    }

    /// A ward's keyed falls measure.
    static func falls(_ app: Application) async throws -> Measure {
        let fixtures = Fixtures(app: app)
        let trust = try await fixtures.unit("Trust", kind: .organisation)
        let ward = try await fixtures.unit("Willow Ward", kind: .ward, parent: trust)
        return try await DataUploadTests.measure(app, unit: ward, key: "willow.falls", chart: .i)
    }

    /// The summary as `refresh` computes it from what is stored now.
    static func freshSummary(of measure: Measure, on db: any Database) async throws -> SPCResult {
        try await MeasureSeries.load(measure, on: db).result
    }

    static func summary(of measure: Measure, on db: any Database) async throws -> MeasureSummary {
        try #require(try await MeasureSummary.query(on: db).filter(\.$measure.$id == measure.requireID()).first())
    }

    @Test("points are stored and read back exactly: values, denominators, notes and their absence")
    func roundTrip() async throws {
        try await withOpenQI { app in
            let falls = try await Self.falls(app)
            let id = try falls.requireID()
            let points = [
                DataPoint(measureID: id, period: Self.week(0), value: 3, denominator: nil, note: nil),
                DataPoint(measureID: id, period: Self.week(1), value: 0.125, denominator: 140, note: "new form"),
                DataPoint(measureID: id, period: Self.week(2), value: -2.5, denominator: 0, note: "“quoted”, ünïcode"),
            ]
            try await DataPoint.upsert(points, on: app.db)
            let stored = try #require(try await DataPoint.series(of: [id, UUID()], on: app.db)[id])
            #expect(stored.map(\.period) == points.map(\.period))
            #expect(stored.map(\.value) == [3, 0.125, -2.5])
            #expect(stored.map(\.denominator) == [nil, 140, 0])
            #expect(stored.map(\.note) == [nil, "new form", "“quoted”, ünïcode"])
            #expect(try await DataPoint.latestPeriods(of: [id], on: app.db)[id] == Self.week(2))
            #expect(try await DataPoint.count(on: app.db) == 3)

            // The same period again replaces it, whichever way it is written.
            try await DataPoint.upsert(
                [DataPoint(measureID: id, period: Self.week(1), value: 7, denominator: nil, note: nil)], on: app.db)
            let replaced = try #require(try await DataPoint.series(of: [id], on: app.db)[id])
            #expect(replaced.map(\.value) == [3, 7, -2.5] && replaced[1].denominator == nil)
            #expect(try await DataPoint.count(on: app.db) == 3)
        }
    }

    @Test("a load into a measure with data merges by period, and its summary is the one its data give")
    func summaryAfterPartialReload() async throws {
        try await withOpenQI { app in
            let falls = try await Self.falls(app)
            let id = try falls.requireID()
            let first = Self.rows((0..<20).map { ($0, Double(3 + $0 % 3)) })
            try await DataLoad.plan([id: first], measures: [try MeasureBrief(falls)], on: app.db)
                .apply(by: .commandLine, on: app.db)
            // Later weeks, out of order, two of them replacing stored weeks: a run of high values.
            let second = Self.rows([(24, 9), (21, 9), (19, 9), (22, 9), (18, 9), (20, 9), (23, 9), (25, 9)])
            let load = try await DataLoad.plan([id: second], measures: [try MeasureBrief(falls)], on: app.db)
            #expect(load.total == .init(added: 6, changed: 2, unchanged: 0))
            try await load.apply(by: .commandLine, on: app.db)

            let fresh = try await Self.freshSummary(of: falls, on: app.db)
            let summary = try await Self.summary(of: falls, on: app.db)
            #expect(summary.points == 26 && fresh.points.count == 26)
            #expect(summary.latestPeriod == Self.week(25))
            #expect(summary.variation == fresh.variation.rawValue)
            #expect(summary.recent == MeasureSummary.recent(fresh))
            #expect(summary.variation == VariationIcon.concernHigh.rawValue, "eight high weeks on a measure to lower")
        }
    }

    @Test("a load planned before another load's write still leaves a summary of all the data")
    func interleavedLoads() async throws {
        try await withOpenQI { app in
            let falls = try await Self.falls(app)
            let id = try falls.requireID()
            let brief = try MeasureBrief(falls)
            // The first load is planned while the measure is empty; a second lands before it is applied.
            let early = try await DataLoad.plan(
                [id: Self.rows((0..<10).map { ($0, 4) })], measures: [brief], on: app.db)
            try await DataLoad.plan([id: Self.rows((10..<16).map { ($0, 12) })], measures: [brief], on: app.db)
                .apply(by: .commandLine, on: app.db)
            try await early.apply(by: .commandLine, on: app.db)

            let summary = try await Self.summary(of: falls, on: app.db)
            #expect(summary.points == 16, "both loads' periods are in the summary, not only the later-applied one's")
            #expect(summary.latestPeriod == Self.week(15))
            #expect(summary.recent == MeasureSummary.recent(try await Self.freshSummary(of: falls, on: app.db)))
        }
    }
}

import Fluent
import Foundation
import OpenQI
import SPC
import SyntheticData
import Vapor

/// Speed measurements of OpenQI's heavy pages, run by `openqi bench`. They time the server's own
/// work (the page's query and its rendering), not the network.
package enum Benchmarks {
    package struct Timing: Sendable {
        package let measures: Int
        package let rows: Int
        package let bytes: Int
        /// The fastest of the repeats, and the median.
        package let fastest: Duration
        package let median: Duration
        /// The fastest query (tree, rows) and the fastest rendering, apart.
        package let query: Duration
        package let render: Duration
    }

    /// Times the measures summary of a trust with `measures` measures (built first, if the
    /// database is empty, as wards of ten indicators each, with summaries from synthetic weekly data).
    package static func measuresSummary(app: Application, measures count: Int, repeats: Int) async throws -> Timing {
        let db = app.db
        if try await Unit.query(on: db).count() == 0 { try await seed(measures: count, on: db) }
        guard let trust = try await Unit.query(on: db).filter(\.$parent.$id == nil).first()?.id else {
            throw Abort(.internalServerError, reason: "No top unit to summarise.")
        }
        let viewer = Viewer(
            accountID: UUID(), personID: UUID(), name: "Benchmark", email: "bench@example.org", isAdministrator: true,
            mustChangePassword: false, sessionID: UUID(), csrfToken: "bench", grants: [])
        let context = PageContext.signedIn("Benchmark", csrfToken: "bench")
        var timings: [Duration] = []
        var queries: [Duration] = []
        var renders: [Duration] = []
        var rows = 0
        var bytes = 0
        let clock = ContinuousClock()
        for _ in 0..<repeats {
            // What a request does: load the tree for the policy, query, render.
            let start = clock.now
            let policy = Policy(viewer: viewer, tree: try await UnitTree.load(on: db))
            let model = try await MeasureSummaryPage.Model.query(
                unitID: trust, filter: .everything, policy: policy, on: db)
            let queried = clock.now
            let html = MeasureSummaryPage.View(context: context, model: model).render()
            let rendered = clock.now
            rows = model.rows.count
            bytes = html.utf8.count
            timings.append(rendered - start)
            queries.append(queried - start)
            renders.append(rendered - queried)
        }
        timings.sort()
        return Timing(
            measures: count, rows: rows, bytes: bytes, fastest: timings[0], median: timings[timings.count / 2],
            query: queries.min()!, render: renders.min()!)
    }

    package struct ImportTiming: Sendable {
        package struct Run: Sendable {
            /// Reading and checking the CSV, and loading it (plan, upsert, summaries, audit).
            package let check: Duration
            package let total: Duration
        }
        package let points: Int
        package let bytes: Int
        package let first: Run
        package let again: Run
    }

    /// Times what an upload's import and the API do with one long CSV: read, look up the keys,
    /// check every row, compare with what is stored, upsert, refresh the summaries, audit. Run
    /// twice: new data, then the same file again.
    package static func bulkImport(app: Application, measures count: Int, weeks: Int) async throws -> ImportTiming {
        let db = app.db
        if try await Unit.query(on: db).count() == 0 { try await seed(measures: count, on: db) }
        let measures = try await Measure.query(on: db).sort(\.$key).all()
        let start = CalendarDay(year: 2020, month: 1, day: 6)!.date
        var csv = "measure,period,value\n"
        for measure in measures {
            guard let key = measure.key else { continue }
            for week in 0..<weeks {
                csv +=
                    "\(key),\(CalendarDay.text(start.addingTimeInterval(Double(week) * 7 * 86_400))),\(week % 7 + 3)\n"
            }
        }
        let units = Set(try await Unit.query(on: db).all().compactMap(\.id))
        let clock = ContinuousClock()
        func run() async throws -> (ImportTiming.Run, Int) {
            let began = clock.now
            let file = BulkDataImport.csv(csv)
            let targets = try await BulkDataImport.targets(keys: file.keys, in: units, on: db)
            let checked = file.checked(against: targets, scope: "the benchmark trust")
            guard checked.errors.isEmpty else {
                throw Abort(.internalServerError, reason: checked.errors.first?.message ?? "bad rows")
            }
            let read = clock.now
            let load = try await DataLoad.plan(checked.rows, measures: targets.values, on: db)
            try await load.apply(by: .commandLine, on: db)
            return (.init(check: read - began, total: clock.now - began), checked.pointCount)
        }
        let (first, points) = try await run()
        let (again, _) = try await run()
        return ImportTiming(points: points, bytes: csv.utf8.count, first: first, again: again)
    }

    /// A trust of directorates and wards, ten weekly indicators a ward, each with its summary.
    private static func seed(measures count: Int, on db: any Database) async throws {
        let trust = Unit(id: UUID(), name: "Benchmark Trust", kind: .organisation, parentID: nil)
        try await trust.create(on: db)
        let wardsNeeded = (count + 9) / 10
        var units: [Unit] = []
        var wards: [UUID] = []
        for directorateIndex in 0..<max(1, wardsNeeded / 50 + (wardsNeeded % 50 == 0 ? 0 : 1)) {
            let directorate = Unit(
                id: UUID(), name: "Directorate \(directorateIndex + 1)", kind: .directorate, parentID: trust.id)
            units.append(directorate)
            for wardIndex in 0..<50 where wards.count < wardsNeeded {
                let ward = Unit(
                    id: UUID(), name: "Ward \(directorateIndex + 1)-\(wardIndex + 1)", kind: .ward,
                    parentID: directorate.id)
                units.append(ward)
                wards.append(ward.id!)
            }
        }
        try await db.transaction { [units, wards] db in
            for batch in units.chunked(into: 500) { try await Array(batch).create(on: db) }
            let generator = SyntheticSeries()
            var workspace = SPCWorkspace()
            var measures: [Measure] = []
            var summaries: [MeasureSummary] = []
            let options = SPCOptions(chart: .i, rules: .mdc, direction: .down, target: 10)
            for index in 0..<count {
                let measure = Measure()
                measure.id = UUID()
                measure.$unit.id = wards[index / 10]
                measure.name = "Indicator \(index % 10 + 1)"
                measure.key = "bench.\(index)"
                measure.kind = .outcome
                measure.definition = "Synthetic weekly data for the benchmark."
                measure.frequency = .weekly
                measure.chartType = ChartType.i.rawValue
                measure.rules = RuleSet.mdc.rawValue
                measure.direction = ImprovementDirection.down.rawValue
                measure.target = 10
                measure.multiply = 1
                measures.append(measure)
                let summary = MeasureSummary()
                summary.$measure.id = measure.id!
                summary.apply(
                    workspace.compute(generator.points(index: index, count: 104, chart: .i), options: options),
                    latestPeriod: AppClock.now)
                summaries.append(summary)
            }
            for batch in measures.chunked(into: 500) { try await Array(batch).create(on: db) }
            for batch in summaries.chunked(into: 500) { try await Array(batch).create(on: db) }
        }
    }
}

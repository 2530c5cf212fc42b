import Fluent
import Foundation
import SPC
import Vapor

/// Speed measurements of OpenQI's heavy pages, run by `openqi bench`. They time the server's own
/// work (the page's query and its rendering), not the network.
public enum Benchmarks {
    public struct Timing: Sendable {
        public let measures: Int
        public let rows: Int
        public let bytes: Int
        /// The fastest of the repeats, and the median.
        public let fastest: Duration
        public let median: Duration
        /// The fastest query (tree, rows) and the fastest rendering, apart.
        public let query: Duration
        public let render: Duration
    }

    /// Times the measures summary of a trust with `measures` measures (built first, if the
    /// database is empty, as wards of ten indicators each, with summaries from synthetic weekly data).
    public static func measuresSummary(app: Application, measures count: Int, repeats: Int) async throws -> Timing {
        let db = app.db
        if try await Unit.query(on: db).count() == 0 { try await seed(measures: count, on: db) }
        guard let trust = try await Unit.query(on: db).filter(\.$parent.$id == nil).first()?.id else {
            throw Abort(.internalServerError, reason: "No top unit to summarise.")
        }
        let viewer = Viewer(
            accountID: UUID(), personID: UUID(), name: "Benchmark", email: "bench@example.org", isAdministrator: true,
            mustChangePassword: false, sessionID: UUID(), csrfToken: "bench", grants: [])
        let context = PageContext(
            viewerName: viewer.name, csrfToken: viewer.csrfToken, navigation: [], notice: nil, currentPath: "/")
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
            let model = try await MeasureSummaryPage.Model.query(unitID: trust, filter: .init(), policy: policy, on: db)
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
                    latestPeriod: Date())
                summaries.append(summary)
            }
            for batch in measures.chunked(into: 500) { try await Array(batch).create(on: db) }
            for batch in summaries.chunked(into: 500) { try await Array(batch).create(on: db) }
        }
    }
}

import ArgumentParser
import Foundation
import OpenQI
import OpenQIDemo
import SPC
import SyntheticData

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure OpenQI's speed.",
        subcommands: [SPCBench.self, SummaryBench.self, ImportBench.self, SizeBench.self]
    )

    struct SPCBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "spc",
            abstract: "Summarise many generated series as a dashboard does, and print series/s and ns/point.",
            discussion:
                "Build with -c release for meaningful figures. Data are generated first (deterministically) and not timed."
        )

        @ArgumentParser.Option(help: "How many series.")
        var series = 100_000

        @ArgumentParser.Option(help: "Points per series.")
        var points = 104

        @ArgumentParser.Option(help: "Chart type.")
        var chart: ChartType = .i

        @ArgumentParser.Option(help: "Rule set.")
        var rules: RuleSet = .mdc

        @ArgumentParser.Option(help: "Timed repetitions; the fastest is reported.")
        var repeats = 3

        func validate() throws {
            guard series > 0, points > 0, repeats > 0 else {
                throw ValidationError("--series, --points and --repeats must be positive.")
            }
        }

        func run() throws {
            let generator = SyntheticSeries()
            var values: [Double] = []
            var denominators: [Double] = []
            var allValues: [Double] = []
            var allDenominators: [Double] = []
            allValues.reserveCapacity(series * points)
            if chart.usesDenominator { allDenominators.reserveCapacity(series * points) }
            for index in 0..<series {
                generator.fill(values: &values, denominators: &denominators, index: index, points: points, chart: chart)
                allValues += values
                allDenominators += denominators
            }
            let options = SPCOptions(chart: chart, rules: rules, direction: .up)
            var workspace = SPCWorkspace()
            var best = Duration.seconds(1_000_000)
            var signals = 0
            for _ in 0..<repeats {
                signals = 0
                let clock = ContinuousClock()
                let elapsed = clock.measure {
                    for index in 0..<series {
                        let range = (index * points)..<((index + 1) * points)
                        let summary = workspace.summarise(
                            values: allValues[range],
                            denominators: chart.usesDenominator ? allDenominators[range] : nil, options: options
                        )
                        signals &+= summary.counts.improvement &+ summary.counts.concern &+ summary.counts.neutral
                    }
                }
                best = min(best, elapsed)
            }
            let seconds = best.inSeconds
            let perPoint = seconds * 1e9 / Double(series * points)
            print(
                "chart=\(chart.rawValue) rules=\(rules.rawValue) series=\(series) points=\(points) special-cause-points=\(signals)"
            )
            print("series/s=\(Int((Double(series) / seconds).rounded())) ns/point=\((perPoint * 100).rounded() / 100)")
        }
    }

    struct SummaryBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "summary",
            abstract: "Time the measures summary page (query and rendering) for a trust of many measures.",
            discussion:
                "On an empty --db it first builds a trust of wards with ten indicators each; on one already built it reuses it. Build with -c release for meaningful figures."
        )

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Option(help: "How many measures to build into an empty database.")
        var measures = 5_000

        @ArgumentParser.Option(help: "Timed repetitions.")
        var repeats = 10

        func run() async throws {
            let timing = try await withApplication(database) { app in
                try await Benchmarks.measuresSummary(app: app, measures: measures, repeats: max(1, repeats))
            }
            func ms(_ duration: Duration) -> Double { (duration.inSeconds * 10_000).rounded() / 10 }
            print("measures summary: rows=\(timing.rows) html-bytes=\(timing.bytes)")
            print("fastest-ms=\(ms(timing.fastest)) median-ms=\(ms(timing.median))")
            print("fastest query-ms=\(ms(timing.query)) render-ms=\(ms(timing.render))")
        }
    }

    struct ImportBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Time a bulk data import: read a long CSV, check it, and load it into keyed measures.",
            discussion:
                "Builds a trust of keyed weekly measures in an empty --db, then loads --weeks weeks of each from one CSV, twice: first new data, then the same file again (every row unchanged). Build with -c release."
        )

        @OptionGroup var database: DatabaseOptions

        @ArgumentParser.Option(help: "How many measures.")
        var measures = 5_000

        @ArgumentParser.Option(help: "Weeks of data per measure.")
        var weeks = 100

        func run() async throws {
            let timing = try await withApplication(database) { app in
                try await Benchmarks.bulkImport(app: app, measures: measures, weeks: weeks)
            }
            for (label, run) in [("new", timing.first), ("again", timing.again)] {
                let s = run.total.inSeconds
                print(
                    "import \(label): points=\(timing.points) csv-bytes=\(timing.bytes) total-s=\((s * 1000).rounded() / 1000) "
                        + "points/s=\(Int((Double(timing.points) / s).rounded())) read-and-check-s=\((run.check.inSeconds * 1000).rounded() / 1000)"
                )
            }
        }
    }

    struct SizeBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "size",
            abstract: "Count what the database holds: units, people, projects, measures and data points."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            print(try await withApplication(database) { app in try await app.organisationSize() })
        }
    }
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

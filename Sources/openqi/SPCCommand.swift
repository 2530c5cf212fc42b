import ArgumentParser
import Charts
import Foundation
import SPC

extension ChartType: ExpressibleByArgument {}
extension RuleSet: ExpressibleByArgument {}
extension ImprovementDirection: ExpressibleByArgument {}

/// The chart options every SPC command shares, named as in SPC.md.
struct SPCChartOptions: ParsableArguments {
    @ArgumentParser.Option(help: "Chart type: \(ChartType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var chart: ChartType = .run

    @ArgumentParser.Option(help: "Rule set: \(RuleSet.allCases.map(\.rawValue).joined(separator: ", ")).")
    var rules: RuleSet = .anhoej

    @ArgumentParser.Option(help: "Which way is better: up, down or neutral.")
    var direction: ImprovementDirection = .neutral

    @ArgumentParser.Option(help: "A target value, for the target line and the assurance icon.")
    var target: Double?

    @ArgumentParser.Option(help: "Compute the centre and limits from the first N points of each phase.")
    var freeze: Int?

    @ArgumentParser.Option(help: "Multiply the plotted values, e.g. 100 for percentages (after p limits are clipped).")
    var multiply: Double = 1

    @ArgumentParser.Flag(name: .customLong("no-screen"), help: "Keep large moving ranges (no MR screening).")
    var noScreen = false

    @ArgumentParser.Option(
        name: .customLong("shift-length"), help: "Points on one side that make a shift (mdc: 7, ihi: 8).")
    var shiftLength: Int?

    @ArgumentParser.Option(
        name: .customLong("trend-length"), help: "Points rising or falling that make a trend (mdc: 7, ihi: 6).")
    var trendLength: Int?

    var options: SPCOptions {
        SPCOptions(
            chart: chart, rules: rules, direction: direction, target: target, freeze: freeze, multiply: multiply,
            screenMovingRanges: !noScreen, shiftLength: shiftLength, trendLength: trendLength
        )
    }
}

struct SPCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spc",
        abstract: "Compute a run or control chart from a CSV file and print it as JSON.",
        discussion: """
            The CSV has a header with the columns x and y and optionally n, phase, exclude and note, in
            any order; row order is point order. With --by series the file is a long table with a
            series column (each series' rows together) and one JSON line is printed per series.
            Bad input exits with status 2 and one line naming the row, the column and the reason.
            """
    )

    @ArgumentParser.Argument(help: "The CSV file, or - for standard input.")
    var file: String

    @OptionGroup var chartOptions: SPCChartOptions

    @ArgumentParser.Option(
        name: .customLong("by"), help: "series: summarise each series of a long table, one JSON line each.")
    var by: String?

    @ArgumentParser.Option(help: "Also draw the chart as SVG into this file.")
    var svg: String?

    @ArgumentParser.Option(help: "The chart's title in the SVG.")
    var title: String?

    func validate() throws {
        if let by, by != "series" { throw ValidationError("--by takes only “series”.") }
        if by != nil, svg != nil {
            throw ValidationError("--svg draws one chart; it cannot be combined with --by series.")
        }
    }

    func run() throws {
        let text: String
        do {
            text = file == "-" ? readStandardInput() : try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            fail("\(file): cannot read the file (\(error.localizedDescription)).")
        }
        do {
            let output = try render(text)
            for line in output.json { print(line) }
            if let svg, let drawing = output.svg { try drawing.write(toFile: svg, atomically: true, encoding: .utf8) }
        } catch let error as SPCInputError {
            fail(error.message)
        }
    }

    /// The JSON lines to print (one document, or one line per series with --by series) and the SVG, if asked for.
    func render(_ text: String) throws -> (json: [String], svg: String?) {
        let options = chartOptions.options
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if by == "series" {
            var workspace = SPCWorkspace()
            return (
                try SPCCSV.series(from: text).map { series in
                    try SPCChart.validate(points: series.points, options: options, firstRow: series.firstRow)
                    let summary = workspace.summarise(series.points, options: options, series: series.name)
                    return String(decoding: try encoder.encode(summary), as: UTF8.self)
                }, nil
            )
        }
        let points = try SPCCSV.points(from: text)
        try SPCChart.validate(points: points, options: options, firstRow: 2)
        let result = SPCChart.compute(points: points, options: options)
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        guard svg != nil else { return ([json], nil) }
        // Notes in the CSV become flags on the chart ("PDSA 1 started").
        let annotations = result.points.enumerated().compactMap { index, point in
            point.note.map { ChartAnnotation(index: index, text: $0) }
        }
        let chart = ControlChart(
            result: result, title: title ?? Describe.chartName(options.chart), annotations: annotations,
            showTwoSigma: options.rules == .mdc
        )
        return ([json], chart.svg())
    }

    private func readStandardInput() -> String {
        var lines: [String] = []
        while let line = readLine(strippingNewline: false) { lines.append(line) }
        return lines.joined()
    }
}

/// Prints one line to standard error and exits with status 2: what scripts and the acceptance suite expect of bad input.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    Foundation.exit(2)
}
